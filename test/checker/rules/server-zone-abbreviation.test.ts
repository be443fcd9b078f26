import { serverZoneAbbreviation } from '../../../compiler/checker/rules/server-zone-abbreviation.js';
import { testCheck } from '../rule-tester.js';
import { KOLKATA, LONDON, NEW_YORK, timeWindow } from '../zones.js';

const message = (word: string, zone: string) => `\`${word}\` names the server's zone \`${zone}\`, which has daylight saving: the reference fails on every request with this time`;

testCheck(serverZoneAbbreviation, {
  valid: [
    // Without a zone it cannot be known (ignored-time-zone warns); another zone's abbreviation is ignored.
    timeWindow('8:00am EST', '5:00pm EST'),
    { source: timeWindow('8:00am CET', '5:00pm CET'), zone: NEW_YORK },
    // No daylight saving: the reference reads the time in the server's zone, as kss does.
    { source: timeWindow('9:00 IST', '17:00 IST'), zone: KOLKATA },
    // `GMT` is UTC to the reference (dateutil), not an abbreviation it ignores.
    { source: timeWindow('9:00 GMT', '17:00 GMT'), zone: LONDON },
  ],
  invalid: [
    {
      source: timeWindow('8:00am EST', '5:00pm EDT'),
      zone: NEW_YORK,
      errors: [
        { line: 3, column: 23, endLine: 3, endColumn: 27, message: message('EST', 'America/New_York'), help: 'drop the abbreviation to mean the server\'s local time all year, or write an offset (`-05:00` or `-04:00`)', data: { replacement: '' } },
        { line: 4, column: 21, endLine: 4, endColumn: 25, message: message('EDT', 'America/New_York'), help: 'drop the abbreviation to mean the server\'s local time all year, or write an offset (`-05:00` or `-04:00`)', data: { replacement: '' } },
      ],
    },
    {
      source: timeWindow('9:00 BST', '17:00 BST'),
      zone: LONDON,
      errors: [
        { line: 3, column: 21, endLine: 3, endColumn: 25, message: message('BST', 'Europe/London'), help: 'drop the abbreviation to mean the server\'s local time all year, or write an offset (`+00:00` or `+01:00`)', data: { replacement: '' } },
        { line: 4, column: 20, endLine: 4, endColumn: 24, message: message('BST', 'Europe/London'), help: 'drop the abbreviation to mean the server\'s local time all year, or write an offset (`+00:00` or `+01:00`)', data: { replacement: '' } },
      ],
    },
  ],
});
