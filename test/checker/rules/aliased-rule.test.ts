import { aliasedRule } from '../../../compiler/checker/rules/aliased-rule.js';
import { testCheck, yaml } from '../rule-tester.js';

const help = 'write the rule again, or share its arguments with a merge key: `- <<: *name` (a new rule with the same arguments)';

testCheck(aliasedRule, {
  valid: [
    // Aliases of values, and merge keys, make new rules: the reference loads them.
    yaml('decrypt:', '- - rule: meta-rule', '    paths: &paths [/hr]', '- - rule: meta-rule', '    paths: *paths'),
    yaml('decrypt:', '- - &office {rule: time-range-rule, time_start: "9:00", time_end: "17:00"}', 'search:', '- - <<: *office'),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - &office {rule: approve-rule}', 'search:', '- - *office'),
      errors: [{ line: 4, column: 5, endLine: 4, endColumn: 12, message: 'this rule is an alias of one written elsewhere; the reference engine cannot load a rule twice', help }],
    },
    {
      source: yaml('decrypt:', '- &set', '  - rule: approve-rule', 'search:', '- *set'),
      errors: [{ line: 5, column: 3, endLine: 5, endColumn: 7, message: 'rule set 0 is an alias of one written elsewhere; the reference engine cannot load a rule twice', help }],
    },
    {
      source: yaml('decrypt: &tree', '- - rule: approve-rule', 'search: *tree'),
      errors: [{ line: 3, column: 9, endLine: 3, endColumn: 14, message: 'the rule tree of `search` is an alias of one written elsewhere; the reference engine cannot load a rule twice', help }],
    },
  ],
});
