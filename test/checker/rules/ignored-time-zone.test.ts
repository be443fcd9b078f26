import { ignoredTimeZone } from '../../../compiler/checker/rules/ignored-time-zone.js';
import { parseTimeOfDay } from '../../../compiler/grammars/time.js';
import { fragmentErrors } from '../fragment-expect.js';
import { testCheck, yaml } from '../rule-tester.js';

// The range takes in the space before the abbreviation, so that the quick fix (replace with nothing) leaves `8:00am`.
const withSpace = (d: ReturnType<typeof fragmentErrors>[number]) => ({ ...d, column: d.column - 1, data: { replacement: '' } });

testCheck(ignoredTimeZone, {
  valid: [yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am-05:00', '    time_end: 17:00Z')],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am EST', '    time_end: 5:00pm EST'),
      errors: [
        ...fragmentErrors(parseTimeOfDay('8:00am EST'), { line: 3, column: 17, quoted: false }, '', 'warnings').map(withSpace),
        ...fragmentErrors(parseTimeOfDay('5:00pm EST'), { line: 4, column: 15, quoted: false }, '', 'warnings').map(withSpace),
      ],
    },
  ],
});
