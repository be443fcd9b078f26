/** runtime/time: the one reading of zone strings, and the one message for a zone that is none. */
import { describe, expect, it } from 'vitest';
import { parseZone, ZoneError, zoneProblem } from '../../runtime/time/index.js';

describe('zone strings', () => {
  it('reads IANA names, UTC and fixed offsets', () => {
    expect(parseZone('UTC').fixedOffsetSeconds).toBe(0);
    expect(parseZone('Z').fixedOffsetSeconds).toBe(0);
    expect(parseZone('+04:00').fixedOffsetSeconds).toBe(14_400);
    expect(parseZone('-0530').fixedOffsetSeconds).toBe(-19_800);
    expect(parseZone('+23:59').fixedOffsetSeconds).toBe(86_340);
    const ny = parseZone('America/New_York');
    expect(ny.fixedOffsetSeconds).toBeNull();
    expect(ny.offsetSecondsAt(Date.parse('2026-01-15T12:00:00Z'))).toBe(-5 * 3600);
    expect(ny.offsetSecondsAt(Date.parse('2026-07-15T12:00:00Z'))).toBe(-4 * 3600);
    expect(parseZone('america/new_york').ianaName).toBe('America/New_York');
  });

  it('refuses what is not a zone, with one message that says what to write', () => {
    for (const bad of ['Mars/Olympus', '+25:00', '+04:60', '+4:00', '-05', '+04', '', ' UTC', 'UTC ', 'EST5EDT,M3.2.0']) {
      expect(zoneProblem(bad), bad).toBe(`unknown time zone \`${bad}\`: use an IANA name such as \`Europe/Berlin\`, \`UTC\`, or a fixed offset such as \`+04:00\``);
      expect(() => parseZone(bad)).toThrow(ZoneError);
    }
    expect(zoneProblem('Europe/Berlin')).toBeNull();
    expect(zoneProblem('-05:00')).toBeNull();
  });
});
