import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonInputError, parseStrictJson, strictRead } from '../../runtime/json/parse.js';

const parse = (s: string | Buffer) => parseStrictJson(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);

function refusal(s: string | Buffer): JsonInputError {
  try {
    parse(s);
  } catch (e) {
    if (e instanceof JsonInputError) return e;
    throw e;
  }
  throw new Error(`accepted ${String(s)}`);
}

/** JSON-like texts: duplicate keys (also spelled with escapes), colons and surrogate escapes in strings, deep nesting. */
const piece = fc.constantFrom('a', 'b', '\\u0061', ':', 'x:y', '\\ud800', '\\udc00', '\\uDFFF', '\\uDbff', '\\ud7ff', '\\ud83d\\ude00', '\\uD83D\\uDE00', '\\\\ud800', '__proto__', '\\"', 'é', '10', '');
const str = fc.array(piece, { maxLength: 3 }).map((p) => `"${p.join('')}"`);
const text: fc.Arbitrary<string> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, str, fc.constantFrom('1', '-0', '1e400', 'true', 'null'), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }).map((v) => `[${v.join(',')}]`),
  object: fc.array(fc.tuple(str, tie('value')), { maxLength: 4 }).map((m) => `{${m.map(([k, v]) => `${k}:${v}`).join(', ')}}`),
})).value as fc.Arbitrary<string>;
/** Sometimes one character dropped or one inserted, sometimes nested 60-70 levels deep (around the quick path's limit). */
const mutated = fc.tuple(text, fc.nat(), fc.constantFrom('', 'drop', ',', ':', '"', '}', ']', '\\', ' '), fc.constantFrom(0, 0, 0, 62, 63, 64, 65, 70)).map(([t, at, change, depth]) => {
  const i = at % (t.length + 1);
  const edited = change === '' ? t : change === 'drop' ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + change + t.slice(i);
  return '['.repeat(depth) + edited + ']'.repeat(depth);
});

/** The answer as data: the value (with its key order and prototypes) or the refusal. (An empty body is refused before either reads it.) */
function outcome(read: () => unknown): unknown {
  try {
    const v = read();
    const shape = (x: unknown): unknown => (x === null || typeof x !== 'object' ? (Object.is(x, -0) ? '-0' : x) : [Object.getPrototypeOf(x) === Object.prototype, Array.isArray(x), Object.entries(x).map(([k, y]) => [k, shape(y)])]);
    return { value: shape(v) };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message, field: (e as JsonInputError).field };
  }
}

describe('strict JSON', () => {
  it('answers exactly as the strict reader alone (value, key order, or refusal and its message)', () => {
    fc.assert(
      fc.property(mutated.filter((t) => t !== ''), (t) => {
        expect(outcome(() => parse(t))).toEqual(outcome(() => strictRead(t)));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads what JSON.stringify writes exactly as JSON.parse does (any value, any spacing)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (v, space) => {
        const text = JSON.stringify(v, null, space);
        expect(parse(text)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what JSON.parse refuses', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        let native = true;
        try {
          JSON.parse(s);
        } catch {
          native = false;
        }
        if (!native) expect(() => parse(s)).toThrow(JsonInputError);
      }),
      { numRuns: 500 },
    );
  });

  it('a duplicated key is refused with its path, at any depth', () => {
    expect(refusal('{"request_type":"decrypt","auth_meta":[],"auth_meta":[{"meta":"x","complete":true}]}')).toMatchObject({ field: 'auth_meta', message: expect.stringContaining('`auth_meta` is given twice') });
    expect(refusal('{"auth_meta":[{"meta":"a","meta":"b"}]}').field).toBe('auth_meta[0].meta');
    // Equal after unescaping is equal: `\u0061` is `a`.
    expect(refusal('{"a":1,"\\u0061":2}').field).toBe('a');
  });

  it('a lone surrogate is refused with its field; a pair is a character', () => {
    expect(refusal('{"auth_meta":[{"meta":"x\\ud800y"}]}')).toMatchObject({ field: 'auth_meta[0].meta', message: expect.stringContaining('lone surrogate') });
    expect(refusal('{"a":"\\udc00"}').field).toBe('a');
    expect(parse('{"a":"\\ud83d\\ude00"}')).toEqual({ a: '😀' });
  });

  it('invalid UTF-8 is refused, not read as U+FFFD', () => {
    expect(refusal(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])).message).toBe('the body is not valid UTF-8');
    // An encoded surrogate (CESU-8) is invalid UTF-8 too.
    expect(refusal(Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])).message).toBe('the body is not valid UTF-8');
  });

  it('syntax errors say the line and column; `__proto__` is a plain key', () => {
    expect(refusal('{\n  "a": tru\n}').message).toMatch(/line 2, column 8/);
    expect(refusal('').message).toMatch(/empty/);
    expect(refusal('{"a":1} x').message).toMatch(/after the JSON value/);
    const o = parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(o['__proto__']).toEqual({ polluted: true });
  });
});
