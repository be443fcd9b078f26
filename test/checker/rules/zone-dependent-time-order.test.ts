import { zoneDependentTimeOrder } from '../../../compiler/checker/rules/zone-dependent-time-order.js';
import { testCheck } from '../rule-tester.js';
import { PLUS_FOUR, timeWindow } from '../zones.js';

const help = "the reference refuses the policy on such a server; give the server's zone (`kss check --tz ZONE`) to know, or write both times with an offset or both without";

testCheck(zoneDependentTimeOrder, {
  valid: [
    timeWindow("'9:00'", "'17:00'"),
    timeWindow('09:00+04:00', '17:00+04:00'),
    // In order in every zone in use (UTC-12:00 .. UTC+14:00).
    timeWindow("'1:00'", '23:00Z'),
    timeWindow('00:00Z', "'23:30'"),
    // With the zone given, time-range-order decides exactly.
    { source: timeWindow('09:00+04:00', "'6:00'"), zone: PLUS_FOUR },
  ],
  invalid: [
    {
      // 09:00+04:00 is 05:00Z; 6:00 in the server's zone is 05:00Z at UTC+01:00, earlier east of it.
      source: timeWindow('09:00+04:00', "'6:00'"),
      errors: [{ line: 4, column: 15, endLine: 4, endColumn: 21, message: "`time_start` `09:00+04:00` is not before `time_end` `6:00` where the server's zone is at UTC+01:00 or east of it", help }],
    },
    {
      // 20:00 in the server's zone is 18:00Z at UTC+02:00, and later west of it.
      source: timeWindow("'20:00'", '18:00Z'),
      errors: [{ line: 4, column: 15, endLine: 4, endColumn: 21, message: "`time_start` `20:00` is not before `time_end` `18:00Z` where the server's zone is at UTC+02:00 or west of it", help }],
    },
  ],
});
