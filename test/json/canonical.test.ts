/** Canonical JSON: one text per value, whatever the key order; non-canonical texts are noticed. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, isCanonicalJson } from '../../runtime/json/canonical.js';
import { auditHash, chainRows, entryBody } from '../../runtime/audit/chain.js';
import { createHash } from 'node:crypto';

/** The plain recursive definition canonicalJson had before it was made faster (issue 15): the reference. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => reference(v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
}

/** JSON values with undefined members, integer-like and non-ASCII keys, lone surrogates, sparse arrays. */
const awkward = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(undefined), fc.double(), fc.string({ unit: 'binary' }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.sparseArray(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(fc.string({ unit: 'binary' }), fc.nat().map(String), fc.constantFrom('__proto__', 'a', 'b', 'B', '10', '9')), tie('value'), { maxKeys: 6 }),
})).value;

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

  it('writes the same text as the plain recursive definition, for any value', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), awkward), (v) => {
      expect(canonicalJson(v)).toBe(reference(v));
    }), { numRuns: 2000 });
  });

  it('hashes an audit entry over the same bytes as canonical JSON of the whole entry', () => {
    const entry = fc.record({ at: fc.string({ unit: 'binary' }), kind: fc.string(), actor: fc.string({ unit: 'binary' }), data: fc.dictionary(fc.string(), fc.jsonValue()) });
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')), fc.array(entry, { maxLength: 4 }), (prev, inputs) => {
      const { entries, dataJson } = chainRows(prev, 7, inputs);
      let link = prev;
      inputs.forEach((input, i) => {
        const whole = reference({ at: input.at, kind: input.kind, actor: input.actor, data: input.data });
        expect(entryBody(input, reference(input.data))).toBe(whole);
        expect(dataJson[i]).toBe(reference(input.data));
        const expected = createHash('sha256').update(link).update('\n').update(whole).digest('hex');
        expect(entries[i]!.hash).toBe(expected);
        expect(auditHash(link, input)).toBe(expected);
        expect(entries[i]!.seq).toBe(8 + i);
        expect(entries[i]!.prevHash).toBe(link);
        link = expected;
      });
    }), { numRuns: 300 });
  });

  it('spells the entry the general way when a field is not a string', () => {
    const odd = { at: undefined, kind: 'k', actor: 'a', data: { x: 1 } } as unknown as Parameters<typeof entryBody>[0];
    expect(entryBody(odd, '{"x":1}')).toBe('{"actor":"a","data":{"x":1},"kind":"k"}');
    expect(entryBody({ at: 't', kind: 'k', actor: 'a', data: undefined } as unknown as Parameters<typeof entryBody>[0], 'null')).toBe('{"actor":"a","at":"t","kind":"k"}');
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
