import type { Check } from '../registry.js';
import { readStrings } from '../../arguments/read.js';

export const dateIncludedAndExcluded: Check = {
  id: 'date-included-and-excluded',
  code: 'KSS2006',
  meta: {
    description: 'a date is listed in both `include` and `exclude`',
    defaultSeverity: 'error',
    docs: {
      summary: 'A date in `exclude` always denies, so listing it in `include` too is a contradiction (SPEC §4.3). Remove it from one list.',
      example: '    include: [\'2022-12-24\']\n    exclude: [\'2022-12-24\']',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('time-range-rule')) {
      const excluded = new Map(readStrings(rule, 'exclude').map((e) => [e.text.trim(), e.value] as const));
      for (const { value, text } of readStrings(rule, 'include')) {
        const other = excluded.get(text.trim());
        if (!other) continue;
        ctx.report({
          node: value,
          message: `\`${text}\` is both included and excluded`,
          help: `it is excluded on line ${other.range.start.line}, and an excluded date always denies; remove it from one of the lists`,
        });
      }
    }
  },
};
