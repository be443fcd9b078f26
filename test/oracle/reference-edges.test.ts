/**
 * Corner cases where our engines decide differently from the reference, found while building the
 * oracle (reference_model.py) and checked against the reference's published code (AtakamaLLC
 * policy_basics: meta_str.py, time_range.py, profile_id.py; times parsed by python-dateutil).
 * None of them occurs in the given conformance cases; all are rarer than the meta-rule walk
 * (meta-walk-reference.test.ts). Each test names the reference behaviour it pins down.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compilePolicy } from '../../compiler/compile.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';

const PROFILE = { profile_id: '00112233445566778899aabbccddeeff', profile_words: ['correct', 'horse', 'battery', 'staple', 'lamp'] };

/** Both engines' decision, or 'rejected' when the compiler refuses the policy. */
function decide(policy: Record<string, unknown>, request: Partial<KssRequest>, at: string, tz = 'UTC') {
  const { artifact } = compilePolicy(stringify(policy, { aliasDuplicateObjects: false }), 'edge.yml');
  if (!artifact) return 'rejected';
  const req = { request_type: 'decrypt', profile: PROFILE, ...request } as KssRequest;
  const [plain, fast] = (['plain', 'optimized'] as const).map((engine) =>
    loadProgram(artifact, { engine }).decide(req, context(at, tz), new MemoryQuota()).approved);
  expect(fast).toBe(plain);
  return plain;
}

const paths = (...p: string[]) => ({ decrypt: [[{ rule: 'meta-rule', paths: p }]] });
const meta = (m: string) => ({ auth_meta: [{ meta: m, complete: true }] });
const NOON = '2022-03-15T12:00:00Z';

describe('path patterns are Python regexes ending in `$` (SPEC appendix: `$` also matches before a final newline)', () => {
  // The reference translates `/P` to `^/P/|^/P$`, `a/P` to `\/a/P/|\/a/P$`, `P` to `(\/|^)P$`.
  it('a root pattern matches a meta with a trailing newline', () => {
    expect(decide(paths('/report.pdf'), meta('report.pdf\n'), NOON)).toBe(true);
  });
  it('a base-name pattern matches a meta with a trailing newline', () => {
    expect(decide(paths('report.pdf'), meta('a/report.pdf\n'), NOON)).toBe(true);
  });
  it('a component pattern matches a meta with a trailing newline', () => {
    expect(decide(paths('a/report.pdf'), meta('x/a/report.pdf\n'), NOON)).toBe(true);
  });
});

describe('a directory pattern drops ALL its trailing slashes (the reference does `rstrip("/")`)', () => {
  it('`hr//` means the directory component `hr`', () => {
    expect(decide(paths('hr//'), meta('a/hr/b'), NOON)).toBe(true);
  });
});

describe('`UTC` and `GMT` after a time are zones for the reference (dateutil), not ignored abbreviations', () => {
  const range = (start: string, end: string) => ({ decrypt: [[{ rule: 'time-range-rule', time_start: start, time_end: end }]] });
  it('`10:00 UTC`..`11:00 UTC` on a +04:00 server approves at 10:30Z', () => {
    expect(decide(range('10:00 UTC', '11:00 UTC'), {}, '2022-03-15T10:30:00Z', '+04:00')).toBe(true);
  });
  it('`10:00 GMT`..`11:00 GMT` on a -05:00 server denies at 15:30Z', () => {
    expect(decide(range('10:00 GMT', '11:00 GMT'), {}, '2022-03-15T15:30:00Z', '-05:00')).toBe(false);
  });
});

describe('profile words are split on single spaces (the reference does `pid.split(" ")`)', () => {
  const words = (entry: string) => ({ decrypt: [[{ rule: 'profile-id-rule', profile_ids: [entry] }]] });
  // `correct  horse battery staple` is the 5 words correct, '', horse, battery, staple to the
  // reference: no real profile matches it. Denying it, or rejecting the policy, are both faithful.
  it('an entry with a double space never matches', () => {
    expect(decide(words('correct  horse battery staple'), {}, NOON)).not.toBe(true);
  });
  it('an entry with a leading space never matches', () => {
    expect(decide(words(' correct horse battery staple'), {}, NOON)).not.toBe(true);
  });
});
