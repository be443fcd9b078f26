import { regexAnchoredWithoutSlash } from '../../../compiler/checker/rules/regex-anchored-without-slash.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(regexAnchoredWithoutSlash, {
  valid: [yaml('decrypt:', '- - rule: meta-rule', "    regexes: ['^/finance/', 'finance/', '^(a|b)', '\\.pdf$', '^\\w']")],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: meta-rule', "    regexes: ['^finance/']"),
      errors: [{
        line: 3, column: 15, endLine: 3, endColumn: 26, message: '`^finance/` can only match incomplete paths: complete paths are matched with a leading `/`',
        help: 'write `^/finance/` to match from the root, or drop the `^` to match anywhere', data: { replacement: "'^/finance/'" },
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    regexes:', "    - '!^root/'", '    require_complete: true'),
      errors: [{
        line: 4, column: 7, endLine: 4, endColumn: 16,
        message: '`!^root/` never matches: with `require_complete` every path is complete, and complete paths are matched with a leading `/`',
        help: 'write `!^/root/` to match from the root, or drop the `^` to match anywhere', data: { replacement: "'!^/root/'" },
      }],
    },
  ],
});
