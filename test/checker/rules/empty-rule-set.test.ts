import { emptyRuleSet } from '../../../compiler/checker/rules/empty-rule-set.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(emptyRuleSet, {
  valid: [yaml('decrypt:', '- - rule: approve-rule'), yaml('create_profile: []')],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths: [/a]', '- []'),
      errors: [{
        line: 4, column: 3, endLine: 4, endColumn: 5, message: 'rule set 1 of `decrypt` is empty, so it approves every request',
        help: 'add its rules, remove it, or write `- - rule: approve-rule` if approving everything is meant', data: { requestType: 'decrypt', ruleSet: 1 },
      }],
    },
  ],
});
