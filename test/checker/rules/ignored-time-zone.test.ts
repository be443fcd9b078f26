import { ignoredTimeZone } from '../../../compiler/checker/rules/ignored-time-zone.js';
import { testCheck, yaml } from '../rule-tester.js';
import { KOLKATA, NEW_YORK, timeWindow } from '../zones.js';

const plainHelp = 'write the offset instead (for example `17:00-05:00`), or drop the abbreviation';
const unlessHelp = (word: string) => `where the server's zone calls itself \`${word}\` and has daylight saving (as \`America/New_York\` calls itself \`EST\`), the reference fails on every request: give \`kss check --tz ZONE\` to know; ${plainHelp}`;
const ignored = (word: string) => `the reference ignores the zone abbreviation \`${word}\` and reads this time in the server's time zone`;

testCheck(ignoredTimeZone, {
  valid: [
    timeWindow('8:00am-05:00', '17:00Z'),
    // With the zone known, the server's own abbreviation is server-zone-abbreviation's error, not a warning.
    { source: timeWindow('8:00am EST', '5:00pm EST'), zone: NEW_YORK },
  ],
  invalid: [
    {
      // Without a zone the warning says the zone decides (SPEC 4.3). The range takes in the space before
      // the abbreviation, so that the quick fix (replace with nothing) leaves `8:00am`.
      source: timeWindow('8:00am EST', '5:00pm EST'),
      errors: [
        { line: 3, column: 23, endLine: 3, endColumn: 27, message: `${ignored('EST')}, unless the server's zone calls itself \`EST\` and has daylight saving`, help: unlessHelp('EST'), data: { replacement: '' } },
        { line: 4, column: 21, endLine: 4, endColumn: 25, message: `${ignored('EST')}, unless the server's zone calls itself \`EST\` and has daylight saving`, help: unlessHelp('EST'), data: { replacement: '' } },
      ],
    },
    {
      // With a zone the abbreviation does not name, it is plainly ignored.
      source: timeWindow('8:00am CET', '5:00pm CET'),
      zone: NEW_YORK,
      errors: [
        { line: 3, column: 23, endLine: 3, endColumn: 27, message: ignored('CET'), help: plainHelp, data: { replacement: '' } },
        { line: 4, column: 21, endLine: 4, endColumn: 25, message: ignored('CET'), help: plainHelp, data: { replacement: '' } },
      ],
    },
    {
      // A zone without daylight saving that calls itself IST: the reference reads the time in it.
      source: timeWindow('9:00 IST', '17:00 IST'),
      zone: KOLKATA,
      errors: [
        { line: 3, column: 21, endLine: 3, endColumn: 25, message: ignored('IST'), help: plainHelp, data: { replacement: '' } },
        { line: 4, column: 20, endLine: 4, endColumn: 24, message: ignored('IST'), help: plainHelp, data: { replacement: '' } },
      ],
    },
    {
      // end_by_time is not compared against the clock on each request: no zone caveat.
      source: yaml('start_session:', '- - rule: session-params-rule', '    end_by_time: 6:00pm PST'),
      errors: [{ line: 3, column: 24, endLine: 3, endColumn: 28, message: ignored('PST'), help: plainHelp, data: { replacement: '' } }],
    },
  ],
});
