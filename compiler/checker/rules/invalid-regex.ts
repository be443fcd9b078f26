import type { Check } from '../registry.js';
import { argument } from '../context.js';
import { patternOf, stringItems } from '../fragments.js';

export const invalidRegex: Check = {
  id: 'invalid-regex',
  code: 'KSS2009',
  meta: {
    description: 'a `meta-rule` regex cannot be used',
    defaultSeverity: 'error',
    docs: {
      summary: "Regexes are in the reference's dialect, Python `re`. kss translates each to an equivalent JavaScript regular expression; a construct that is invalid in Python, or that it cannot evaluate with exactly the same meaning (for example variable-width look-behind, or some Unicode case-folding corner cases), is an error at the construct's position rather than a silently different match.",
      example: "    regexes: ['(?<=a|bc)x']     # variable-width look-behind: Python rejects it",
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('meta-rule')) {
      const caseSensitive = argument(rule, 'case_sensitive')?.value.value === true;
      for (const { value, text } of stringItems(rule, 'regexes')) {
        for (const error of patternOf(ctx, 'regex', text, caseSensitive).errors) {
          ctx.report({
            node: ctx.rangeInside(value, error.start, error.end),
            message: `invalid regex \`${text}\`: ${error.message}`,
            ...(error.help ? { help: error.help } : {}),
          });
        }
      }
    }
  },
};
