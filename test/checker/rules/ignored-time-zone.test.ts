import { ignoredTimeZone } from '../../../compiler/checker/rules/ignored-time-zone.js';
import { testCheck, yaml } from '../rule-tester.js';

const help = 'write the offset instead (for example `17:00-05:00`), or drop the abbreviation';

testCheck(ignoredTimeZone, {
  valid: [yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am-05:00', '    time_end: 17:00Z')],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am EST', '    time_end: 5:00pm EST'),
      errors: [
        { line: 3, column: 23, endLine: 3, endColumn: 27, message: "the reference ignores the zone abbreviation `EST` and reads this time in the server's time zone", help, data: { replacement: '' } },
        { line: 4, column: 21, endLine: 4, endColumn: 25, message: "the reference ignores the zone abbreviation `EST` and reads this time in the server's time zone", help, data: { replacement: '' } },
      ],
    },
  ],
});
