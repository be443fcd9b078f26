import { describe, expect, it } from 'vitest';
import { throttleWithoutRuleId } from '../../../compiler/checker/rules/throttle-without-rule-id.js';
import { assignRuleIds } from '../../../compiler/ir/rule-ids.js';
import { parsePolicy } from '../../../compiler/source/parse.js';
import { checkDiagnostics, testCheck, yaml } from '../rule-tester.js';
import { loadConformanceCases } from '../../support/shared.js';

// The rule's SPEC §5 id, computed independently with Python: md5 of {"per_day":5,"rule":"per-profile-throttle-rule"}.
const ID = '2ebaf471e4f5522335a2c9a1f8ef876b';

testCheck(throttleWithoutRuleId, {
  valid: [yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    rule_id: decrypt-daily', '    per_day: 5')],
  // (an empty `rule_id:` is no id: see the test below)
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_day: 5'),
      errors: [{
        line: 2, column: 11, endLine: 2, endColumn: 36, message: 'throttle rule has no explicit `rule_id`, so its counts reset whenever its text changes',
        help: `add \`rule_id: ${ID}\` (its current id, which keeps the counts it has now) or a readable id`, data: { insertRuleId: ID },
      }],
    },
  ],
});

describe('throttle-without-rule-id quick fix', () => {
  it('suggests the id the rule has now, `.2` included for a repeated rule', () => {
    const source = yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_day: 5', '- - rule: per-profile-throttle-rule', '    per_day: 5');
    const ids = assignRuleIds(parsePolicy(source).ast!).map((a) => a.ruleId);
    expect(ids).toEqual([ID, `${ID}.2`]);
    expect(checkDiagnostics(throttleWithoutRuleId, source).map((d) => d.data)).toEqual([{ insertRuleId: ID }, { insertRuleId: `${ID}.2` }]);
  });
});

describe('throttle-without-rule-id ids agree with compiler/ir/rule-ids.ts', () => {
  it('on every conformance policy', () => {
    let compared = 0;
    for (const { file, policy_yaml: source } of loadConformanceCases()) {
      const assigned = assignRuleIds(parsePolicy(source).ast!).filter((a) => a.node.kind === 'per-profile-throttle-rule' && !a.explicit);
      const suggested = checkDiagnostics(throttleWithoutRuleId, source).map((d) => d.data?.insertRuleId);
      expect(suggested, file).toEqual(assigned.map((a) => a.ruleId));
      compared += suggested.length;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('counts an explicit id equal to a hash as seen', () => {
    const source = yaml('decrypt:', '- - rule: approve-rule', `    rule_id: ${ID}`, '- - rule: per-profile-throttle-rule', '    per_day: 5');
    expect(checkDiagnostics(throttleWithoutRuleId, source).map((d) => d.data)).toEqual([{ insertRuleId: `${ID}.2` }]);
    expect(assignRuleIds(parsePolicy(source).ast!)[1]!.ruleId).toBe(`${ID}.2`);
  });
});

describe('throttle-without-rule-id and an empty rule_id', () => {
  it('reports a throttle whose `rule_id:` is left empty, with the id it really gets', () => {
    const source = yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    rule_id:', '    per_day: 5');
    const assigned = assignRuleIds(parsePolicy(source).ast!)[0]!;
    expect(assigned.explicit).toBe(false);
    expect(checkDiagnostics(throttleWithoutRuleId, source).map((d) => d.data)).toEqual([{ insertRuleId: assigned.ruleId }]);
  });
});
