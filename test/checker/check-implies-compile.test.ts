/**
 * One front end decides both (issue 10): whatever `kss check` finds no error in, `kss compile` (and
 * so `policy --load`, `PUT /v1/policy`, serve) compiles. Before, `per_hour: .inf` and `per_day: 1e400`
 * passed check and failed compile. A corpus of real policies and a property over hostile values.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { analyzePolicy } from '../../compiler/analyze.js';
import { compilePolicy } from '../../compiler/compile.js';
import { loadConformanceCases, REPO_DIR, SHARED_DIR } from '../support/shared.js';

let compiled = 0;

/** Null when the law holds for this text; else what went wrong. */
function broken(text: string): string | null {
  const errors = analyzePolicy(text, 'p.yml').diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return null;
  compiled++;
  const { artifact, diagnostics } = compilePolicy(text, 'p.yml');
  return artifact ? null : `check found no error, compile refused: ${JSON.stringify(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`))}`;
}

function policyFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

describe('check finds no error implies compile succeeds', () => {
  it('on every conformance policy, example and golden file', () => {
    const texts = [
      ...loadConformanceCases().map((c) => c.policy_yaml),
      ...readdirSync(join(SHARED_DIR, 'conformance', 'cases-dst')).filter((f) => f.endsWith('.json'))
        .map((f) => (JSON.parse(readFileSync(join(SHARED_DIR, 'conformance', 'cases-dst', f), 'utf8')) as { policy_yaml: string }).policy_yaml),
      ...policyFiles(join(REPO_DIR, 'examples')).map((f) => readFileSync(f, 'utf8')),
      ...policyFiles(join(REPO_DIR, 'test/cli-check/golden')).map((f) => readFileSync(f, 'utf8')),
    ];
    expect(texts.length).toBeGreaterThan(60);
    expect(texts.map(broken).filter((b) => b !== null)).toEqual([]);
  });

  // Values chosen to sit on the edges between the checker and lowering: non-finite and huge numbers,
  // -1/0/-0, fractions, strings that look like numbers, profile entries with stray spaces, times with
  // fractions and meridiems, empty strings and lists.
  const edgy = fc.oneof(
    fc.constantFrom(Infinity, -Infinity, NaN, 1e400, -1, 0, -0, 1, 2.5, 2 ** 53 + 2, 604799, 604800, 7, -2),
    fc.constantFrom('', ' ', '5', '.inf', 'aabb', 'aab', ' aabb', 'aabb ', 'correct horse battery staple', 'a  b c d', 'a b c', '0011zz'),
    fc.constantFrom('9:00', '09:00:00.5', '9:00 a.m.', '5:00 P.M.', '17:00+04:00', '25:00', '5:00pm EST', '2022-02-29', '2024-02-29', '!', '', '^/a+$', '(?i)x', '*.pdf'),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(fc.integer({ min: -2, max: 8 }), fc.constantFrom('x', '', '2022-12-25', '9:00', 'aabb', Infinity)), { maxLength: 3 }),
  );
  /** Arguments each kind takes, with values the checker passes: mixed with the edge values above. */
  const SENSIBLE: Record<string, Record<string, unknown[]>> = {
    'meta-rule': { paths: [['/a'], ['*.pdf', '!/a/b']], regexes: [['^/a'], ['x+', '!y']], case_sensitive: [true, false], require_complete: [true] },
    'profile-id-rule': { profile_ids: [['aabb'], ['correct horse battery staple', '00ff']] },
    'time-range-rule': { time_start: ['9:00', '09:00:00.5', '8:00 a.m.'], time_end: ['17:00', '5:00 p.m.', '23:59:59.999999'], days: [[0, 1], []], include: [['2024-02-29']], exclude: [['2022-12-25']] },
    'per-profile-throttle-rule': { per_hour: [-1, 0, 3], per_day: [-1, 10], persistent: [true], expiry_secs: [30, 0.5], 'db-file': ['x.db'], rule_id: ['t1', 't2'] },
    'session-params-rule': { max_request_count: [0, 10], max_time_seconds: [300, 2], end_by_time: ['6:00pm'] },
    'approve-rule': {},
    'reject-rule': {},
  };
  /** Edges of the value's own type: where a checker and a compiler that read separately part ways. */
  const sameTypeEdge = (example: unknown) => typeof example === 'number'
    ? fc.constantFrom(Infinity, -Infinity, NaN, 1e400, -0, 2 ** 53 + 2, 1.5, -1, 0)
    : typeof example === 'string'
      ? fc.constantFrom('', ' ', ' aabb', 'aabb ', '9:00:00.1234567', '5:00 P.M.', '12 a.m.', '!', '(?x) a', '*')
      : Array.isArray(example) ? fc.array(fc.constantFrom('', ' x', 'aab', Infinity, 1.5, 7, '2023-02-29'), { maxLength: 2 }) : fc.boolean();
  const rule = fc.constantFrom(...Object.keys(SENSIBLE)).chain((kind) => {
    const keys = Object.keys(SENSIBLE[kind]!);
    const argument = keys.length === 0 ? fc.constant(null) : fc.constantFrom(...keys).chain((k) => {
      const valid = SENSIBLE[kind]![k]!;
      return fc.tuple(fc.constant(k), fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...valid) }, { weight: 2, arbitrary: sameTypeEdge(valid[0]) }, { weight: 1, arbitrary: edgy }));
    });
    return fc.array(argument, { maxLength: 4 }).map((args) => ({ rule: kind, ...Object.fromEntries(args.filter((a): a is [string, unknown] => a !== null)) }));
  });
  const type = fc.constantFrom('decrypt', 'start_session', 'create_profile', 'search');

  it('on random policies of edge values (property)', () => {
    compiled = 0;
    const runs = Number(process.env.KSS_FUZZ_RUNS ?? 1500);
    fc.assert(fc.property(type, fc.array(fc.array(rule, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), (t, sets) => {
      expect(broken(stringify({ [t]: sets }))).toBeNull();
    }), { numRuns: runs, seed: Number(process.env.KSS_FUZZ_SEED ?? 10) });
    // The law says little unless many of the policies pass the checker.
    expect(compiled).toBeGreaterThan(runs * 0.1);
  });

  it('.inf and 1e400 are errors for check, as they are for compile', () => {
    const text = 'decrypt:\n- - rule: per-profile-throttle-rule\n    rule_id: t\n    per_hour: .inf\n    per_day: 1e400\n';
    expect(analyzePolicy(text, 'p.yml').diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['KSS1105', 'KSS1105']);
    expect(compilePolicy(text, 'p.yml').artifact).toBeNull();
  });
});
