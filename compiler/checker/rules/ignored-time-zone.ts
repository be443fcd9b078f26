import type { Check } from '../registry.js';
import { readTimes } from '../../arguments/read.js';
import { abbreviationOf } from '../zone.js';

export const ignoredTimeZone: Check = {
  id: 'ignored-time-zone',
  code: 'KSS3007',
  meta: {
    description: 'a time zone abbreviation is ignored: the time is read in the server\'s zone',
    defaultSeverity: 'warning',
    messages: {
      ignored: 'the reference ignores the zone abbreviation `{word}` and reads this time in the server\'s time zone',
      unlessServer: 'the reference ignores the zone abbreviation `{word}` and reads this time in the server\'s time zone, unless the server\'s zone calls itself `{word}` and has daylight saving',
    },
    docs: {
      summary: 'The reference ignores zone abbreviations such as `EST` (SPEC §4.3); kss reads the time the same way, in the server\'s time zone, and warns. Write an offset (`17:00-05:00`) to mean a fixed zone. One exception depends on the server\'s zone: an abbreviation that names it, in a zone with daylight saving (`EST` under `America/New_York`), makes the reference fail on every request. Without the zone (`kss check` with no `--tz`) the warning says so; with it, `server-zone-abbreviation` reports that case as an error.',
      example: '    time_end: 5:00pm EST     # read as 5:00pm in the server\'s zone',
    },
  },
  check(ctx) {
    const zone = ctx.zone;
    for (const { rule } of ctx.rules()) {
      for (const { value, text } of readTimes(rule)) {
        const abbreviation = abbreviationOf(text, ctx.fragments.time(text));
        if (!abbreviation) continue;
        const word = abbreviation.word;
        const window = rule.kind === 'time-range-rule';
        // server-zone-abbreviation reports it as an error when the zone says so.
        if (window && zone?.hasDaylightSaving && zone.abbreviations.includes(word)) continue;
        // The range takes in the space before the abbreviation, so that the quick fix (replace
        // the range with nothing) leaves `5:00pm`, not `5:00pm `.
        const from = text.slice(0, abbreviation.start).trimEnd().length;
        ctx.report({
          node: ctx.rangeInside(value, from, abbreviation.end),
          messageId: window && !zone ? 'unlessServer' : 'ignored',
          values: { word },
          help: window && !zone
            ? `where the server's zone calls itself \`${word}\` and has daylight saving (as \`America/New_York\` calls itself \`EST\`), the reference fails on every request: give \`kss check --tz ZONE\` to know; write the offset instead (for example \`17:00-05:00\`), or drop the abbreviation`
            : 'write the offset instead (for example `17:00-05:00`), or drop the abbreviation',
          data: { replacement: '' },
        });
      }
    }
  },
};
