import { missingRuleKind } from '../../../compiler/checker/rules/missing-rule-kind.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(missingRuleKind, {
  valid: [yaml('decrypt:', '- - rule: meta-rule', '    paths: [/a]'), yaml('decrypt:', '- - rule: no-such-rule')],
  invalid: [
    {
      source: yaml('decrypt:', '- - paths: [/finance]'),
      errors: [{ line: 2, column: 5, endLine: 2, endColumn: 22, message: 'rule has no `rule` key naming its kind', help: 'these arguments belong to `meta-rule`: add `rule: meta-rule`' }],
    },
    {
      source: yaml('decrypt:', '- - {}'),
      errors: [{ line: 2, column: 5, endLine: 2, endColumn: 7, message: 'rule has no `rule` key naming its kind', help: 'add e.g. `rule: meta-rule`; every rule names its kind with `rule`' }],
    },
    {
      source: yaml('decrypt:', '- - rules: approve-rule'),
      errors: [{
        line: 2, column: 5, endLine: 2, endColumn: 10, message: 'rule has no `rule` key; `rules` looks like a misspelling of it',
        help: 'did you mean `rule`?', data: { replacement: 'rule' },
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: 5'),
      errors: [{ line: 2, column: 11, endLine: 2, endColumn: 12, message: '`rule` must name a rule kind, not an integer (`5`)', help: 'write e.g. `rule: meta-rule`' }],
    },
  ],
});
