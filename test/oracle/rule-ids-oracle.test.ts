/**
 * Rule ids (SPEC §5) on hand-picked corner cases, ours against the Python model (which hashes with
 * Python's own json.dumps and hashlib, and counts like the reference's RuleIdGenerator).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compilePolicy } from '../../compiler/compile.js';
import { PythonOracle } from './python-oracle.js';

const oracle = new PythonOracle();
afterAll(() => oracle.close());

const throttle = { rule: 'per-profile-throttle-rule', per_day: 2 };
// md5 of {"per_day":2,"rule":"per-profile-throttle-rule"}: the id the first copy of `throttle` gets.
const THROTTLE_ID = '29039333588c6e57efa63f6d69b70ba5';

const CASES: Array<[string, Record<string, unknown>]> = [
  ['three identical rules get X, X.2, X.3', { decrypt: [[throttle], [throttle]], search: [[throttle]] }],
  ['an explicit id counts as seen: a later rule hashing to it gets .2', { decrypt: [[{ ...throttle, per_day: 3, rule_id: THROTTLE_ID }], [throttle]] }],
  ['non-ASCII and non-BMP text is hashed as \\u escapes (surrogate pairs)', { decrypt: [[{ rule: 'meta-rule', paths: ['/café/😀', '!Über/*'], regexes: ['ä|é'], case_sensitive: true }]] }],
  ['key order does not matter, values as written do', { decrypt: [[{ per_day: 2, rule: 'per-profile-throttle-rule', persistent: false }, { rule: 'time-range-rule', days: [6, 0], include: ['2022-03-18'] }]] }],
];

describe('rule ids agree with the Python model', () => {
  it.each(CASES)('%s', async (_name, policy) => {
    const { artifact, diagnostics } = compilePolicy(stringify(policy, { aliasDuplicateObjects: false }), 'ids.yml');
    const model = await oracle.ask({ policy, tz: 'UTC', steps: [] });
    if (!('rule_ids' in model)) throw new Error(`model: ${JSON.stringify(model)}`);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(artifact?.ruleIds).toEqual(model.rule_ids);
  });
});
