import { invalidPathPattern } from '../../../compiler/checker/rules/invalid-path-pattern.js';
import { PATH_HELP } from '../../../compiler/grammars/path-pattern.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(invalidPathPattern, {
  valid: [yaml('decrypt:', '- - rule: meta-rule', "    paths: ['!/tax*', 'sub/co*mp', '*.pdf', /finance/, README]")],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: meta-rule', "    paths: [/a, '!']"),
      errors: [{ line: 3, column: 18, endLine: 3, endColumn: 19, message: 'invalid path pattern `!`: empty path pattern', help: PATH_HELP }],
    },
    {
      // An empty string: the zero-width error still gets the value's place.
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths:', "    - ''"),
      errors: [{ line: 4, column: 7, endLine: 4, endColumn: 9, message: 'invalid path pattern ``: empty path pattern', help: PATH_HELP }],
    },
  ],
});
