import { invalidDate } from '../../../compiler/checker/rules/invalid-date.js';
import { DATE_HELP } from '../../../compiler/grammars/date.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(invalidDate, {
  valid: [yaml('decrypt:', '- - rule: time-range-rule', "    include: ['2024-02-29']", '    exclude: [2022-12-25]')],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', "    exclude: ['2023-02-29']"),
      errors: [{ line: 3, column: 24, endLine: 3, endColumn: 26, message: 'invalid date in `exclude`: `2023-02-29` is not a calendar date: February 2023 has 28 days', help: DATE_HELP }],
    },
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    include:', "    - '2022-6-01'"),
      errors: [{ line: 4, column: 13, endLine: 4, endColumn: 14, message: 'invalid date in `include`: the month must have two digits, found `6`', help: 'did you mean `2022-06-01`?' }],
    },
  ],
});
