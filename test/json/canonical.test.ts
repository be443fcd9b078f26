/** Canonical JSON: one text per value, whatever the key order; non-canonical texts are noticed. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, isCanonicalJson } from '../../runtime/json/canonical.js';

/** Reverses every object's key order (same value, another serialisation). */
function reordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reordered);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)]));
}

describe('canonicalJson', () => {
  it('laws: parses back to the same value, is its own fixed point, ignores key order', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const text = canonicalJson(v);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
      expect(canonicalJson(JSON.parse(text))).toBe(text);
      expect(isCanonicalJson(text)).toBe(true);
      expect(canonicalJson(reordered(v))).toBe(text);
    }), { numRuns: 500 });
  });

  it('sorts keys at every level, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }], e: undefined })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
  });

  it.each([
    ['duplicate keys', '{"a":1,"a":2}'],
    ['unsorted keys', '{"b":1,"a":2}'],
    ['whitespace', '{"a": 1}'],
    ['not JSON', '{"a":'],
    ['another spelling of a number', '{"a":1.0}'],
  ])('notices %s', (_name, text) => {
    expect(isCanonicalJson(text)).toBe(false);
  });
});
