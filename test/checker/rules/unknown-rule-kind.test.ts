import { unknownRuleKind } from '../../../compiler/checker/rules/unknown-rule-kind.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(unknownRuleKind, {
  valid: [yaml('decrypt:', '- - rule: approve-rule', '  - rule: session-params-rule')],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: time-rule'),
      errors: [{ line: 2, column: 11, endLine: 2, endColumn: 20, message: 'unknown rule kind `time-rule`', help: 'did you mean `time-range-rule`?', data: { replacement: 'time-range-rule' } }],
    },
    {
      source: yaml('decrypt:', '- - rule: approve'),
      errors: [{ line: 2, column: 11, endLine: 2, endColumn: 18, message: 'unknown rule kind `approve`', help: 'did you mean `approve-rule`?', data: { replacement: 'approve-rule' } }],
    },
    {
      source: yaml('decrypt:', '- - rule: allow-everything'),
      errors: [{
        line: 2, column: 11, endLine: 2, endColumn: 27, message: 'unknown rule kind `allow-everything`',
        help: 'the rule kinds are `meta-rule`, `profile-id-rule`, `time-range-rule`, `per-profile-throttle-rule`, `approve-rule`, `reject-rule`, `session-params-rule`',
      }],
    },
  ],
});
