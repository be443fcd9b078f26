import { unreachableRuleSet } from '../../../compiler/checker/rules/unreachable-rule-set.js';
import { testCheck, yaml } from '../rule-tester.js';

const help = 'move the always-approving rule set last, or add the rule that was meant to restrict it';

testCheck(unreachableRuleSet, {
  valid: [
    yaml('decrypt:', '- - rule: meta-rule', '    paths: [/a]', '- - rule: approve-rule'),
    // A throttle can say no, so the next rule set is still reachable.
    yaml('decrypt:', '- - rule: approve-rule', '  - rule: per-profile-throttle-rule', '    rule_id: t', '    per_day: 1', '- - rule: reject-rule'),
    yaml('decrypt:', '- - rule: time-range-rule', '    days: [0, 1, 2, 3, 4]', '- - rule: approve-rule'),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: approve-rule', '- - rule: meta-rule', '    paths: [/finance]'),
      errors: [{
        line: 3, column: 3, endLine: 4, endColumn: 22, message: 'rule set 1 of `decrypt` is never reached: rule set 0 (line 2) approves every request',
        help, data: { requestType: 'decrypt', ruleSet: 1 },
      }],
    },
    {
      source: yaml('search:', '- []', '- - rule: approve-rule', '- - rule: session-params-rule'),
      errors: [
        { line: 3, column: 3, endLine: 3, endColumn: 23, message: 'rule set 1 of `search` is never reached: rule set 0 (line 2) approves every request', help: 'an empty rule set approves everything; remove it or add its rules', data: { requestType: 'search', ruleSet: 1 } },
        { line: 4, column: 3, endLine: 4, endColumn: 30, message: 'rule set 2 of `search` is never reached: rule set 0 (line 2) approves every request', help: 'an empty rule set approves everything; remove it or add its rules', data: { requestType: 'search', ruleSet: 2 } },
      ],
    },
    {
      source: yaml('rename:', '- - rule: time-range-rule', '    days: [6, 5, 4, 3, 2, 1, 0]', '  - rule: session-params-rule', '- - rule: reject-rule'),
      errors: [{ line: 5, column: 3, endLine: 5, endColumn: 22, message: 'rule set 1 of `rename` is never reached: rule set 0 (line 2) approves every request', help, data: { requestType: 'rename', ruleSet: 1 } }],
    },
  ],
});
