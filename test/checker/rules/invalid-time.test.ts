import { invalidTime } from '../../../compiler/checker/rules/invalid-time.js';
import { TIME_HELP } from '../../../compiler/grammars/time.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(invalidTime, {
  valid: [
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am', "    time_end: '17:00'"),
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 09:00+04:00', '    time_end: 17:00:30Z'),
    yaml('start_session:', '- - rule: session-params-rule', '    end_by_time: 5:00pm EST'),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 25:00', '    time_end: 6:00pm'),
      errors: [{ line: 3, column: 17, endLine: 3, endColumn: 19, message: 'invalid time in `time_start`: hour `25` is out of range 0..23', help: TIME_HELP }],
    },
    {
      // Inside quotes the position is still exact: the minutes start after the quote and `8:`.
      source: yaml('decrypt:', '- - rule: time-range-rule', "    time_start: '8:7am'", '    time_end: 6:00pm'),
      errors: [{ line: 3, column: 20, endLine: 3, endColumn: 21, message: 'invalid time in `time_start`: minutes must be two digits, found `7`', help: TIME_HELP }],
    },
    {
      source: yaml('start_session:', '- - rule: session-params-rule', '    end_by_time: 13:00pm'),
      errors: [{ line: 3, column: 18, endLine: 3, endColumn: 20, message: 'invalid time in `end_by_time`: hour `13` with `pm` must be 1..12', help: TIME_HELP }],
    },
  ],
});
