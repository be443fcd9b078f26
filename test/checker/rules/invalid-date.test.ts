import { invalidDate } from '../../../compiler/checker/rules/invalid-date.js';
import { parseDate } from '../../../compiler/grammars/date.js';
import { fragmentErrors } from '../fragment-expect.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(invalidDate, {
  valid: [yaml('decrypt:', '- - rule: time-range-rule', "    include: ['2024-02-29']", '    exclude: [2022-12-25]')],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', "    exclude: ['2023-02-29']"),
      errors: fragmentErrors(parseDate('2023-02-29'), { line: 3, column: 15, quoted: true }, 'invalid date in `exclude`: '),
    },
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    include:', "    - '2022-6-01'"),
      errors: fragmentErrors(parseDate('2022-6-01'), { line: 4, column: 7, quoted: true }, 'invalid date in `include`: '),
    },
  ],
});
