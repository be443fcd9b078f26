import { duplicateRuleId } from '../../../compiler/checker/rules/duplicate-rule-id.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(duplicateRuleId, {
  valid: [
    yaml('decrypt:', '- - rule: approve-rule', '    rule_id: a', 'search:', '- - rule: approve-rule', '    rule_id: b'),
    // Identical rules without explicit ids get `.2` suffixes (SPEC §5): not an error.
    yaml('decrypt:', '- - rule: approve-rule', '- - rule: approve-rule'),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: approve-rule', '    rule_id: daily', 'search:', '- - rule: reject-rule', '    rule_id: daily'),
      errors: [{
        line: 6, column: 14, endLine: 6, endColumn: 19, message: 'rule_id `daily` is already used on line 3',
        help: 'rule ids must be unique: quota counts are kept per rule id; rename one of them', data: { firstLine: 3 },
      }],
    },
  ],
});
