/** runtime/time: local date, weekday, time of day, offset and quota buckets in fixed and IANA zones. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localMoment, parseZone } from '../../runtime/time/zone.js';

describe('zones', () => {
  it('fixed offsets move the local date and hour', () => {
    const m = localMoment(Date.parse('2022-03-15T22:30:15.250Z'), parseZone('+04:00')!);
    expect(m).toEqual({ date: '2022-03-16', weekday: 2, msOfDay: 2 * 3600_000 + 30 * 60_000 + 15_250, offsetSeconds: 14400, hour: '2022-03-16T02', day: '2022-03-16' });
    expect(localMoment(Date.parse('2022-03-15T02:00:00Z'), parseZone('-05:00')!).date).toBe('2022-03-14');
  });

  it('IANA zones follow daylight saving time', () => {
    const berlin = parseZone('Europe/Berlin')!;
    expect(localMoment(Date.parse('2022-03-27T00:59:59Z'), berlin)).toMatchObject({ hour: '2022-03-27T01', offsetSeconds: 3600 });
    expect(localMoment(Date.parse('2022-03-27T01:00:00Z'), berlin)).toMatchObject({ hour: '2022-03-27T03', offsetSeconds: 7200 });
  });

  it('rejects unknown zones and impossible offsets', () => {
    expect(parseZone('Mars/Olympus')).toBeNull();
    expect(parseZone('+25:00')).toBeNull();
    expect(parseZone('UTC')).not.toBeNull();
  });

  it('agrees with Intl on random instants (property)', () => {
    const zones = ['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/Berlin'];
    fc.assert(fc.property(fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2040-01-01') }), fc.constantFrom(...zones), (now, tz) => {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
      const p = Object.fromEntries(f.formatToParts(now).map((x) => [x.type, x.value]));
      const m = localMoment(now, parseZone(tz)!);
      expect(m.date).toBe(`${p.year}-${p.month}-${p.day}`);
      expect(m.hour.slice(11)).toBe(p.hour);
      expect(Math.floor(m.msOfDay / 60_000) % 60).toBe(Number(p.minute));
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][m.weekday]).toBe(p.weekday);
    }), { numRuns: 500 });
  });
});
