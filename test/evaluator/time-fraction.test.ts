/** A time with a fraction of a second (`09:00:00.5`, SPEC 4.3) decides to the microsecond, in both engines. */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../compiler/compile.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';

const POLICY = "decrypt:\n- - rule: time-range-rule\n    time_start: '09:00:00.5'\n    time_end: '5:00 p.m.'\n";

function approved(at: string): boolean[] {
  const { artifact } = compilePolicy(POLICY, 'p.yml');
  const req = { request_type: 'decrypt', profile: { profile_id: 'ab' } } as KssRequest;
  return (['plain', 'optimized'] as const).map((engine) =>
    loadProgram(artifact!, { engine }).decide(req, context(at), new MemoryQuota()).approved);
}

describe('times with a fraction of a second', () => {
  it('compile to whole seconds plus microseconds', () => {
    const start = compilePolicy(POLICY, 'p.yml').artifact!.ir.requestTypes[0]!.ruleSets[0]!.rules[0];
    expect(start).toMatchObject({ start: { seconds: 9 * 3600, microseconds: 500000, offsetSeconds: null }, end: { seconds: 17 * 3600, offsetSeconds: null } });
  });

  it('start half a second after the hour', () => {
    expect(approved('2022-03-15T09:00:00.499Z')).toEqual([false, false]);
    expect(approved('2022-03-15T09:00:00.500Z')).toEqual([true, true]);
    expect(approved('2022-03-15T17:00:00.000Z')).toEqual([true, true]);
    expect(approved('2022-03-15T17:00:00.001Z')).toEqual([false, false]);
    // `at` is read to the microsecond: half a second is half a second, and a microsecond after 17:00 is after it.
    expect(approved('2022-03-15T09:00:00.499999Z')).toEqual([false, false]);
    expect(approved('2022-03-15T17:00:00.000001Z')).toEqual([false, false]);
  });
});
