import { oneSidedZoneAbbreviation } from '../../../compiler/checker/rules/one-sided-zone-abbreviation.js';
import { testCheck } from '../rule-tester.js';
import { timeWindow } from '../zones.js';

const help = 'write the abbreviation on both times or on neither (the reference ignores it either way), or write an offset such as `-05:00`';

testCheck(oneSidedZoneAbbreviation, {
  valid: [
    timeWindow('8:00am EST', '5:00pm EST'),
    timeWindow('8:00am EST', '5:00pm PST'),
    timeWindow('8:00am', '5:00pm'),
    timeWindow('8:00am-05:00', '5:00pm'),
    // `UTC` is a zone to the reference, not an abbreviation it ignores.
    timeWindow('8:00am UTC', '5:00pm'),
    // A time that cannot be read is invalid-time's business.
    timeWindow('8:00am EST', '25:00'),
  ],
  invalid: [
    {
      source: timeWindow('8:00am EST', '5:00pm'),
      errors: [{ line: 3, column: 24, endLine: 3, endColumn: 27, message: '`time_start` `8:00am EST` has the zone abbreviation `EST` and `time_end` `5:00pm` has none: the reference refuses this policy', help }],
    },
    {
      source: timeWindow("'09:00'", "'17:00 CET'"),
      errors: [{ line: 4, column: 22, endLine: 4, endColumn: 25, message: '`time_end` `17:00 CET` has the zone abbreviation `CET` and `time_start` `09:00` has none: the reference refuses this policy', help }],
    },
    {
      source: timeWindow('9:00 EST', '17:00+01:00'),
      errors: [{ line: 3, column: 22, endLine: 3, endColumn: 25, message: '`time_start` `9:00 EST` has the zone abbreviation `EST` and `time_end` `17:00+01:00` has none: the reference refuses this policy', help }],
    },
  ],
});
