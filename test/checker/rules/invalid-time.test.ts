import { invalidTime } from '../../../compiler/checker/rules/invalid-time.js';
import { parseTimeOfDay } from '../../../compiler/grammars/time.js';
import { fragmentErrors } from '../fragment-expect.js';
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
      errors: fragmentErrors(parseTimeOfDay('25:00'), { line: 3, column: 17, quoted: false }, 'invalid time in `time_start`: '),
    },
    {
      // Inside quotes the position is still exact: offsets start after the quote.
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 6:00am', "    time_end: '12:75'"),
      errors: fragmentErrors(parseTimeOfDay('12:75'), { line: 4, column: 15, quoted: true }, 'invalid time in `time_end`: '),
    },
    {
      source: yaml('start_session:', '- - rule: session-params-rule', '    end_by_time: 13:00pm'),
      errors: fragmentErrors(parseTimeOfDay('13:00pm'), { line: 3, column: 18, quoted: false }, 'invalid time in `end_by_time`: '),
    },
  ],
});
