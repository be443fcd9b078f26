import { timeRangeOrder } from '../../../compiler/checker/rules/time-range-order.js';
import { testCheck, yaml } from '../rule-tester.js';
import { LORD_HOWE, NEW_YORK, PLUS_FOUR } from '../zones.js';

const wrap = 'windows do not wrap around midnight; for a night window write two rule sets, one until midnight and one from midnight';

testCheck(timeRangeOrder, {
  valid: [
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am', '    time_end: 5:00pm'),
    // 09:00+04:00 is 05:00 UTC, 08:00Z is later: in order.
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 09:00+04:00', '    time_end: 08:00Z'),
    // One zoned, one not: without the server's zone this check cannot tell (zone-dependent-time-order warns).
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 18:00Z', "    time_end: '09:00'"),
    // 13:30Z is before 09:00 at UTC-05:00 (14:00Z), and a fixed zone has no other offset.
    { source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 13:30Z', "    time_end: '9:00'"), zone: { ...NEW_YORK, name: '-05:00', hasDaylightSaving: false, offsetsSeconds: [-18000], abbreviations: [] } },
    { source: yaml('decrypt:', '- - rule: time-range-rule', "    time_start: '8:00'", '    time_end: 17:00+04:00'), zone: PLUS_FOUR },
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
    {
      // Daylight saving (SPEC 4.6): in order at UTC-05:00 (09:00 is 14:00Z) but not at UTC-04:00 (13:00Z).
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 13:30Z', "    time_end: '9:00'"),
      zone: NEW_YORK,
      errors: [{ line: 4, column: 15, endLine: 4, endColumn: 21, message: "`time_end` `9:00` is not after `time_start` `13:30Z` when the server's zone `America/New_York` is at UTC-04:00", help: `the reference refuses this policy there; ${wrap}` }],
    },
    {
      // Lord Howe shifts by 30 minutes: 8:00 there is 21:30Z at +10:30 (after 00:15+03:00, 21:15Z) and 21:00Z at +11:00.
      source: yaml('decrypt:', '- - rule: time-range-rule', "    time_start: '8:00'", '    time_end: 00:15+03:00'),
      zone: LORD_HOWE,
      errors: [{ line: 4, column: 15, endLine: 4, endColumn: 26, message: "`time_end` `00:15+03:00` is not after `time_start` `8:00` when the server's zone `Australia/Lord_Howe` is at UTC+10:30", help: `the reference refuses this policy there; ${wrap}` }],
    },
  ],
});
