import type { Check } from '../registry.js';
import { readTimes } from '../../arguments/read.js';

export const ignoredTimeZone: Check = {
  id: 'ignored-time-zone',
  code: 'KSS3007',
  meta: {
    description: 'a time zone abbreviation is ignored: the time is read in the server\'s zone',
    defaultSeverity: 'warning',
    docs: {
      summary: 'The reference ignores zone abbreviations such as `EST` (SPEC §4.3); kss reads the time the same way, in the server\'s time zone, and warns. Write an offset (`17:00-05:00`) to mean a fixed zone.',
      example: '    time_end: 5:00pm EST     # read as 5:00pm in the server\'s zone',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rules()) {
      for (const { value, text } of readTimes(rule)) {
        for (const warning of ctx.fragments.time(text).warnings) {
          // The range takes in the space before the abbreviation, so that the quick fix (replace
          // the range with nothing) leaves `5:00pm`, not `5:00pm `.
          const from = text.slice(0, warning.start).trimEnd().length;
          ctx.report({
            node: ctx.rangeInside(value, from, warning.end),
            message: warning.message,
            ...(warning.help ? { help: warning.help } : {}),
            data: { replacement: '' },
          });
        }
      }
    }
  },
};
