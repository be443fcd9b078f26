import type { Check } from '../registry.js';
import { readStrings } from '../../arguments/read.js';

export const invalidDate: Check = {
  id: 'invalid-date',
  code: 'KSS2005',
  meta: {
    description: 'a date in `include` or `exclude` is not a calendar date `YYYY-MM-DD`',
    defaultSeverity: 'error',
    docs: {
      summary: 'Dates in a `time-range-rule`\'s `include` and `exclude` are written `YYYY-MM-DD` and must exist in the calendar.',
      example: '    exclude: [\'2023-02-29\']     # 2023 is not a leap year',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('time-range-rule')) {
      for (const key of ['include', 'exclude']) {
        for (const { value, text } of readStrings(rule, key)) {
          for (const error of ctx.fragments.date(text).errors) {
            ctx.reportInside(value, error, `invalid date in \`${key}\`: ${error.message}`);
          }
        }
      }
    }
  },
};
