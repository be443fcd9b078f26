import { invalidPathPattern } from '../../../compiler/checker/rules/invalid-path-pattern.js';
import { translatePathPattern } from '../../../compiler/grammars/path-pattern.js';
import { fragmentErrors } from '../fragment-expect.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(invalidPathPattern, {
  valid: [yaml('decrypt:', '- - rule: meta-rule', "    paths: ['!/tax*', 'sub/co*mp', '*.pdf', /finance/, README]")],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: meta-rule', "    paths: [/a, '!']"),
      errors: fragmentErrors(translatePathPattern('!', false), { line: 3, column: 17, quoted: true }, 'invalid path pattern `!`: '),
    },
    {
      // An empty string: a zero-width error still gets the whole value.
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths:', "    - ''"),
      errors: translatePathPattern('', false).errors.map((e) => ({
        line: 4, column: 7, endLine: 4, endColumn: 9, message: `invalid path pattern \`\`: ${e.message}`, ...(e.help ? { help: e.help } : {}),
      })),
    },
  ],
});
