/** runtime/time isoFromMs: the text `new Date(ms).toISOString()` writes, from its per-second cache too. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoFromMs } from '../../runtime/time/index.js';

describe('isoFromMs', () => {
  it('writes what Date writes, for runs of nearby milliseconds and for any moment (property)', () => {
    const base = fc.integer({ min: -62_198_755_200_000, max: 8_640_000_000_000_000 });
    fc.assert(fc.property(base, fc.array(fc.integer({ min: -3000, max: 3000 }), { maxLength: 20 }), (ms, steps) => {
      let at = ms;
      for (const step of [0, ...steps]) {
        at = Math.min(8_640_000_000_000_000, Math.max(-8_640_000_000_000_000, at + step));
        expect(isoFromMs(at)).toBe(new Date(at).toISOString());
      }
    }), { numRuns: 2000 });
  });

  it('writes the milliseconds of one second, padded, and a fraction as Date truncates it', () => {
    const second = Date.parse('2026-12-03T13:00:02Z');
    for (const ms of [0, 1, 9, 10, 99, 100, 999, 5, 0]) expect(isoFromMs(second + ms)).toBe(new Date(second + ms).toISOString());
    expect(isoFromMs(second + 1.5)).toBe(new Date(second + 1.5).toISOString());
    expect(isoFromMs(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(() => isoFromMs(Number.NaN)).toThrow(RangeError);
  });
});
