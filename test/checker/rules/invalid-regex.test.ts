import { invalidRegex } from '../../../compiler/checker/rules/invalid-regex.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(invalidRegex, {
  valid: [yaml('decrypt:', '- - rule: meta-rule', "    regexes: ['\\.pdf$', '(?P<year>20[0-9]{2})/(?P=year)', 'a{,3}', '(?i)^/HR/']")],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: meta-rule', "    regexes: ['(?<=a|bc)x']"),
      errors: [{
        line: 3, column: 16, endLine: 3, endColumn: 25, message: 'invalid regex `(?<=a|bc)x`: look-behind requires fixed-width pattern',
        help: 'Python only allows look-behind that matches a fixed number of characters',
      }],
    },
    {
      // The error points inside the string: `(?i)` after `x` at offsets 1..5.
      source: yaml('decrypt:', '- - rule: meta-rule', '    regexes:', '    - x(?i)y'),
      errors: [{
        line: 4, column: 8, endLine: 4, endColumn: 12, message: 'invalid regex `x(?i)y`: global flags not at the start of the expression',
        help: 'put inline flags such as `(?i)` at the very start, or use a scoped group `(?i:...)`',
      }],
    },
    {
      // Escapes in a double-quoted scalar: offsets in the value are not offsets in the file, so the whole value is marked.
      source: yaml('decrypt:', '- - rule: meta-rule', '    regexes: ["\\\\d(", x]'),
      errors: [{
        line: 3, column: 15, endLine: 3, endColumn: 21, message: 'invalid regex `\\d(`: missing ), unterminated subpattern',
        help: 'close the group with `)`, or write `\\(` to match a parenthesis',
      }],
    },
  ],
});
