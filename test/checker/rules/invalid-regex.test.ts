import { invalidRegex } from '../../../compiler/checker/rules/invalid-regex.js';
import { translatePythonRegex } from '../../../compiler/grammars/python-regex.js';
import { fragmentErrors } from '../fragment-expect.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(invalidRegex, {
  valid: [yaml('decrypt:', '- - rule: meta-rule', "    regexes: ['\\.pdf$', '(?P<year>20[0-9]{2})/(?P=year)', 'a{,3}', '(?i)^/HR/']")],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: meta-rule', "    regexes: ['(?<=a|bc)x']"),
      errors: fragmentErrors(translatePythonRegex('(?<=a|bc)x', false), { line: 3, column: 15, quoted: true }, 'invalid regex `(?<=a|bc)x`: '),
    },
    {
      // The error points inside the string, at the misplaced flags.
      source: yaml('decrypt:', '- - rule: meta-rule', '    regexes:', '    - x(?i)y'),
      errors: fragmentErrors(translatePythonRegex('x(?i)y', false), { line: 4, column: 7, quoted: false }, 'invalid regex `x(?i)y`: '),
    },
    {
      // Escapes in a double-quoted scalar: offsets in the value are not offsets in the file, so the whole value is marked.
      source: yaml('decrypt:', '- - rule: meta-rule', '    regexes: ["\\\\d(", x]'),
      errors: translatePythonRegex('\\d(', false).errors.map((e) => ({
        line: 3, column: 15, endLine: 3, endColumn: 21, message: `invalid regex \`\\d(\`: ${e.message}`, ...(e.help ? { help: e.help } : {}),
      })),
    },
  ],
});
