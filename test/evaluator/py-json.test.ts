/**
 * SPEC §5 ids hash Python's json.dumps text; compare our serialisation with python3's on random values
 * (one subprocess for the whole batch), plus the float repr and key-order corner cases by hand.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyDict, pyFloat, pyFloatRepr, pyInt, pyJsonDumps } from '../../compiler/ir/py-json.js';
import type { PyValue } from '../../compiler/ir/py-json.js';

/** Encodes a PyValue as JSON that a small Python script turns back into the Python value. */
function toTransport(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(toTransport);
  if (v.py === 'int') return { i: v.text };
  if (v.py === 'float') return { f: Number.isFinite(v.value) ? v.value.toString() : String(v.value) };
  return { d: v.entries.map(([k, x]) => [k, toTransport(x)]) };
}

const PY = `
import json, sys
def back(x):
    if isinstance(x, list): return [back(y) for y in x]
    if isinstance(x, dict):
        if 'i' in x: return int(x['i'])
        if 'f' in x: return float(x['f'])
        return {k: back(v) for k, v in x['d']}
    return x
for line in sys.stdin:
    print(json.dumps(back(json.loads(line)), sort_keys=True, separators=(',', ':'), ensure_ascii=True))
`;

function python(values: PyValue[]): string[] {
  const input = values.map((v) => JSON.stringify(toTransport(v))).join('\n') + '\n';
  return execFileSync('python3', ['-c', PY], { input, encoding: 'utf8' }).trimEnd().split('\n');
}

const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', 'Z', '"', '\\', '\n', '\t', '\u007f', '\u0000', 'é', 'Ü', '\u2028', '😀', '\uffff', '\ue000'), fc.string({ maxLength: 1 }), fc.string({ unit: 'grapheme', maxLength: 1 }), fc.string({ unit: 'binary', maxLength: 1 })) });
const leaf: fc.Arbitrary<PyValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  text,
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(pyInt),
  fc.double({ noNaN: false }).map(pyFloat),
);
const value: fc.Arbitrary<PyValue> = fc.letrec<{ v: PyValue }>((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 4 }),
    fc.uniqueArray(fc.tuple(text, tie('v')), { maxLength: 4, selector: (e) => e[0] }).map(pyDict)),
})).v;

describe('pyJsonDumps', () => {
  it('equals python3 json.dumps(sort_keys, compact, ensure_ascii) on random values', () => {
    const samples = fc.sample(value, { numRuns: 400, seed: 42 });
    const expected = python(samples);
    samples.forEach((s, i) => expect(pyJsonDumps(s)).toBe(expected[i]));
  });

  it('writes floats like repr()', () => {
    const cases: Array<[number, string]> = [[1, '1.0'], [0.1, '0.1'], [1e16, '1e+16'], [1e15, '1000000000000000.0'], [1e-4, '0.0001'], [1e-5, '1e-05'], [-0, '-0.0'], [1.5e300, '1.5e+300'], [123456789.125, '123456789.125']];
    for (const [x, s] of cases) expect(pyFloatRepr(x)).toBe(s);
  });

  it('sorts keys by code point, not UTF-16 unit', () => {
    expect(pyJsonDumps(pyDict([['\uffff', null], ['😀', null]]))).toBe('{"\\uffff":null,"\\ud83d\\ude00":null}');
  });
});
