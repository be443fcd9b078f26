import { incompleteTimeRange } from '../../../compiler/checker/rules/incomplete-time-range.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(incompleteTimeRange, {
  valid: [
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am', '    time_end: 5:00pm'),
    yaml('decrypt:', '- - rule: time-range-rule', '    days: [0, 1]'),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am'),
      errors: [{ line: 3, column: 5, endLine: 3, endColumn: 15, message: '`time_start` without `time_end`', help: 'add `time_end`, or remove `time_start` for a rule about days only', data: { insertKey: 'time_end' } }],
    },
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    days: [0]', '    time_end: 5:00pm'),
      errors: [{ line: 4, column: 5, endLine: 4, endColumn: 13, message: '`time_end` without `time_start`', help: 'add `time_start`, or remove `time_end` for a rule about days only', data: { insertKey: 'time_start' } }],
    },
  ],
});
