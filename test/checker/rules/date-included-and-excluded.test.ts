import { dateIncludedAndExcluded } from '../../../compiler/checker/rules/date-included-and-excluded.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(dateIncludedAndExcluded, {
  valid: [yaml('decrypt:', '- - rule: time-range-rule', "    include: ['2022-12-24']", "    exclude: ['2022-12-25']")],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', "    include: ['2022-12-24', '2022-12-31']", '    exclude:', "    - '2022-12-31'"),
      errors: [{
        line: 3, column: 29, endLine: 3, endColumn: 41, message: '`2022-12-31` is both included and excluded',
        help: 'it is excluded on line 5, and an excluded date always denies; remove it from one of the lists',
      }],
    },
  ],
});
