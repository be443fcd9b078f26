/** runtime/time: a request's time read exactly, to the microsecond (SPEC 4.6). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseInstant, parseZone } from '../../runtime/time/index.js';

const UTC = parseZone('UTC');
const NY = parseZone('America/New_York');
const us = (iso: string) => Date.parse(iso) * 1000;

describe('instants', () => {
  it('reads ISO-8601 moments exactly', () => {
    expect(parseInstant('2022-03-15T14:30:00Z', UTC)).toBe(us('2022-03-15T14:30:00Z'));
    expect(parseInstant('2022-03-15T14:30:00.000001+01:00', UTC)).toBe(us('2022-03-15T13:30:00Z') + 1);
    expect(parseInstant('2022-03-15T14:30:00.1234567z', UTC)).toBe(us('2022-03-15T14:30:00Z') + 123_456);
    expect(parseInstant('2022-03-15 14:30-0500', UTC)).toBe(us('2022-03-15T19:30:00Z'));
    expect(parseInstant('2022-03-15', UTC)).toBe(us('2022-03-15T00:00:00Z'));
    expect(parseInstant('0001-01-01T00:00:00Z', UTC)).toBe(new Date('0001-01-01T00:00:00Z').getTime() * 1000);
  });

  it('refuses what is not a moment', () => {
    for (const bad of ['', 'now', '2022-3-15', '2022-02-29T00:00:00Z', '2022-13-01', '2022-03-15T24:00:00Z', '2022-03-15T10:60Z',
      '2022-03-15T10:00:61Z', '2022-03-15T10:00+24:00', '2022-03-15Z', '2022-03-15T10Z']) {
      expect(parseInstant(bad, UTC), bad).toBeNull();
    }
    expect(parseInstant('2024-02-29T00:00:00Z', UTC)).not.toBeNull();
  });

  it('reads a moment without an offset as wall-clock time in the server zone, fold=0 at the changes', () => {
    expect(parseInstant('2026-07-15T09:30:00', NY)).toBe(us('2026-07-15T13:30:00Z'));
    expect(parseInstant('2026-01-15', NY)).toBe(us('2026-01-15T05:00:00Z'));
    // 01:30 happens twice on 2026-11-01: the first (EDT), as Python's fold=0.
    expect(parseInstant('2026-11-01T01:30:00', NY)).toBe(us('2026-11-01T05:30:00Z'));
    // 02:30 does not exist on 2026-03-08: read at the offset before the change (EST), as fold=0.
    expect(parseInstant('2026-03-08T02:30:00', NY)).toBe(us('2026-03-08T07:30:00Z'));
    expect(parseInstant('2026-04-05T01:45:00', parseZone('Australia/Lord_Howe'))).toBe(us('2026-04-04T14:45:00Z'));
  });

  it('formats back what it read (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000_000 }), (instant) => {
      expect(parseInstant(formatInstant(instant as never), UTC)).toBe(instant);
    }));
    expect(formatInstant(parseInstant('2022-03-15T14:30:00.000001Z', UTC)!)).toBe('2022-03-15T14:30:00.000001Z');
    expect(formatInstant(parseInstant('2022-03-15T14:30:00.5Z', UTC)!)).toBe('2022-03-15T14:30:00.500Z');
  });
});
