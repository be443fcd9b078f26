/** runtime/time: local date, weekday, time of day, offset and the quota buckets (SPEC 4.6). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantFromMs, localMoment, parseInstant, parseZone } from '../../runtime/time/index.js';

const at = (iso: string) => instantFromMs(Date.parse(iso));
const reading = (iso: string, tz: string) => localMoment(parseInstant(iso, parseZone(tz))!, parseZone(tz));

describe('local readings', () => {
  it('fixed offsets move the local date and hour', () => {
    const m = localMoment(at('2022-03-15T22:30:15.250Z'), parseZone('+04:00'));
    expect(m).toEqual({
      date: '2022-03-16', weekday: 2, usOfDay: (2 * 3600 + 30 * 60 + 15) * 1e6 + 250_000, offsetSeconds: 14400,
      hour: '2022-03-16T02+04:00', localHour: '2022-03-16T02', day: '2022-03-16',
    });
    expect(localMoment(at('2022-03-15T02:00:00Z'), parseZone('-05:00')).date).toBe('2022-03-14');
    const t = at('2026-01-05T22:30:00Z'); // a Monday
    expect(localMoment(t, parseZone('UTC'))).toMatchObject({ hour: '2026-01-05T22+00:00', day: '2026-01-05', weekday: 0 });
    expect(localMoment(t, parseZone('-05:30'))).toMatchObject({ hour: '2026-01-05T17-05:30', day: '2026-01-05' });
    expect(localMoment(t, parseZone('Asia/Tokyo'))).toMatchObject({ hour: '2026-01-06T07+09:00', day: '2026-01-06', weekday: 1 });
  });

  it('reads every instant at the offset of that instant (daylight saving)', () => {
    const berlin = parseZone('Europe/Berlin');
    expect(localMoment(at('2022-03-27T00:59:59Z'), berlin)).toMatchObject({ localHour: '2022-03-27T01', offsetSeconds: 3600 });
    expect(localMoment(at('2022-03-27T01:00:00Z'), berlin)).toMatchObject({ localHour: '2022-03-27T03', offsetSeconds: 7200 });
  });

  it('makes the repeated hour of a fall-back another bucket (New York, London, Lord Howe)', () => {
    expect(reading('2026-11-01T01:30:00-04:00', 'America/New_York').hour).toBe('2026-11-01T01-04:00');
    expect(reading('2026-11-01T01:10:00-05:00', 'America/New_York').hour).toBe('2026-11-01T01-05:00');
    expect(reading('2026-10-25T01:20:00+01:00', 'Europe/London').hour).toBe('2026-10-25T01+01:00');
    expect(reading('2026-10-25T01:20:00Z', 'Europe/London').hour).toBe('2026-10-25T01+00:00');
    // Lord Howe goes back half an hour: 02:00+11:00 becomes 01:30+10:30.
    expect(reading('2026-04-05T01:50:00+11:00', 'Australia/Lord_Howe').hour).toBe('2026-04-05T01+11:00');
    expect(reading('2026-04-05T01:40:00+10:30', 'Australia/Lord_Howe').hour).toBe('2026-04-05T01+10:30');
    // Both occurrences are still the same local date and the same local hour.
    expect(reading('2026-11-01T01:10:00-05:00', 'America/New_York')).toMatchObject({ day: '2026-11-01', localHour: '2026-11-01T01' });
  });

  it('keeps the time of day exact to the microsecond', () => {
    expect(reading('2026-07-15T17:00:00.000001-04:00', 'America/New_York').usOfDay).toBe(17 * 3600e6 + 1);
    expect(reading('2026-07-15T16:59:59.999999-04:00', 'America/New_York').usOfDay).toBe(17 * 3600e6 - 1);
  });

  it('agrees with Intl on random instants (property)', () => {
    const zones = ['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/Berlin', 'Europe/London'];
    fc.assert(fc.property(fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2040-01-01') }), fc.constantFrom(...zones), (ms, tz) => {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23', timeZoneName: 'longOffset' });
      const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
      const m = localMoment(instantFromMs(ms), parseZone(tz));
      expect(m.date).toBe(`${p.year}-${p.month}-${p.day}`);
      expect(m.localHour.slice(11)).toBe(p.hour);
      expect(Math.floor(m.usOfDay / 60e6) % 60).toBe(Number(p.minute));
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][m.weekday]).toBe(p.weekday);
      expect(`GMT${m.hour.slice(13)}`).toBe(p.timeZoneName === 'GMT' ? 'GMT+00:00' : p.timeZoneName);
    }), { numRuns: 500 });
  });

  it('an IANA zone with a fixed offset reads like the offset form (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (ms) => {
      expect(localMoment(instantFromMs(ms), parseZone('Asia/Kolkata'))).toEqual(localMoment(instantFromMs(ms), parseZone('+05:30')));
      expect(localMoment(instantFromMs(ms), parseZone('Etc/UTC'))).toEqual(localMoment(instantFromMs(ms), parseZone('UTC')));
    }));
  });

  it('names every real hour once: two instants share a bucket exactly when they share the real hour from local hh:00 (property)', () => {
    const zones = ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    // Around the 2026 changes of the clocks, minute by minute.
    const changes = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '2026-04-05T15:00:00Z', '2026-10-04T15:30:00Z'].map(Date.parse);
    const moment = fc.tuple(fc.constantFrom(...changes), fc.integer({ min: -180, max: 180 })).map(([c, minutes]) => c + minutes * 60_000);
    fc.assert(fc.property(fc.constantFrom(...zones), moment, moment, (tz, a, b) => {
      const zone = parseZone(tz);
      const start = (ms: number) => {
        const m = localMoment(instantFromMs(ms), zone);
        return ms - (m.usOfDay % 3600e6) / 1000; // local hh:00 at this instant's offset
      };
      const same = localMoment(instantFromMs(a), zone).hour === localMoment(instantFromMs(b), zone).hour;
      expect(same).toBe(start(a) === start(b));
    }), { numRuns: 2000 });
  });
});
