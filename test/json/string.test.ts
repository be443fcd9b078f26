/** runtime/json/string.ts: the text JSON.stringify writes for a string, whatever it holds. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonString } from '../../runtime/json/string.js';

describe('jsonString', () => {
  it('is JSON.stringify of any string: escapes, control characters, pairs and lone surrogates (property)', () => {
    const unit = fc.oneof(fc.constantFrom('"', '\\', '\u0000', '\n', '\u001f', '\u007f', '\u2028', '\ud800', '\udfff', '\ud83d\ude00', 'a', 'é'), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)));
    fc.assert(fc.property(fc.array(unit, { maxLength: 40 }).map((a) => a.join('')), (s) => {
      expect(jsonString(s)).toBe(JSON.stringify(s));
    }), { numRuns: 5000 });
    for (const s of ['', 'a'.repeat(64), crypto.randomUUID(), '2026-12-03T13:00:02.005Z']) expect(jsonString(s)).toBe(JSON.stringify(s));
  });
});
