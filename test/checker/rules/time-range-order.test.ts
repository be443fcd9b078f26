import { timeRangeOrder } from '../../../compiler/checker/rules/time-range-order.js';
import { testCheck, yaml } from '../rule-tester.js';

const wrap = 'windows do not wrap around midnight; for a night window write two rule sets, one until midnight and one from midnight';

testCheck(timeRangeOrder, {
  valid: [
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am', '    time_end: 5:00pm'),
    // 09:00+04:00 is 05:00 UTC, 08:00Z is later: in order.
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 09:00+04:00', '    time_end: 08:00Z'),
    // One zoned, one not: depends on the server's zone, so not reported.
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 18:00Z', "    time_end: '09:00'"),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 10:00pm', '    time_end: 6:00am'),
      errors: [{ line: 4, column: 15, endLine: 4, endColumn: 21, message: '`time_end` `6:00am` is before `time_start` `10:00pm`', help: wrap }],
    },
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', "    time_start: '12:00'", '    time_end: 12:00pm'),
      errors: [{ line: 4, column: 15, endLine: 4, endColumn: 22, message: '`time_end` `12:00pm` is the same time as `time_start` `12:00`', help: 'a window of one instant almost never approves; widen it' }],
    },
    {
      // 10:00+04:00 is 06:00 UTC, before 07:00Z as start.
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 07:00Z', '    time_end: 10:00+04:00'),
      errors: [{ line: 4, column: 15, endLine: 4, endColumn: 26, message: '`time_end` `10:00+04:00` is before `time_start` `07:00Z`', help: wrap }],
    },
  ],
});
