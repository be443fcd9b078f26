import type { Check } from '../registry.js';
import { readTimes } from '../../arguments/read.js';

export const invalidTime: Check = {
  id: 'invalid-time',
  code: 'KSS2002',
  meta: {
    description: 'a time of day cannot be read',
    defaultSeverity: 'error',
    docs: {
      summary: 'Times are `H[:MM[:SS[.ffffff]]]` with an optional `am`/`pm` (or `a.m.`/`p.m.`) and an optional zone `Z` or `±HH:MM`: `8:00am`, `\'17:00\'`, `09:00+04:00`, `5:00 p.m.`, `09:00:00.5`, read as the reference (python-dateutil) reads them. The error points at the part that is wrong.',
      example: '- - rule: time-range-rule\n    time_start: 25:00       # hour out of range\n    time_end: 6:00pm',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rules()) {
      for (const { key, value, text } of readTimes(rule)) {
        for (const error of ctx.fragments.time(text).errors) {
          ctx.reportInside(value, error, `invalid time in \`${key}\`: ${error.message}`);
        }
      }
    }
  },
};
