import { metaRuleWithoutPatterns } from '../../../compiler/checker/rules/meta-rule-without-patterns.js';
import { testCheck, yaml } from '../rule-tester.js';

const help = 'add at least one path pattern (e.g. `paths: [/finance]`) or regex; a meta-rule without patterns never approves';

testCheck(metaRuleWithoutPatterns, {
  valid: [yaml('decrypt:', '- - rule: meta-rule', '    paths: []', "    regexes: ['x']")],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    case_sensitive: true'),
      errors: [{ line: 2, column: 11, endLine: 2, endColumn: 20, message: '`meta-rule` has no `paths` and no `regexes`', help, data: { insertKey: 'paths' } }],
    },
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths: []'),
      errors: [{ line: 3, column: 12, endLine: 3, endColumn: 14, message: '`paths` is empty and the `meta-rule` has no other pattern', help }],
    },
  ],
});
