import type { Check } from '../registry.js';
import { readBoolean, readStrings } from '../../arguments/read.js';

export const invalidRegex: Check = {
  id: 'invalid-regex',
  code: 'KSS2009',
  meta: {
    description: 'a `meta-rule` regex cannot be used',
    defaultSeverity: 'error',
    docs: {
      summary: "Regexes are in the reference's dialect, Python `re`. kss translates each to an equivalent JavaScript regular expression; a construct that is invalid in Python, or that it cannot evaluate with exactly the same meaning (for example variable-width look-behind, or some Unicode case-folding corner cases), is an error at the construct's position rather than a silently different match. An empty regex is an error too: the reference cannot load it.",
      example: "    regexes: ['(?<=a|bc)x']     # variable-width look-behind: Python rejects it",
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('meta-rule')) {
      const caseSensitive = readBoolean(rule, 'case_sensitive');
      for (const { value, text } of readStrings(rule, 'regexes')) {
        for (const error of ctx.fragments.pattern('regex', text, caseSensitive).errors) {
          ctx.reportInside(value, error, text === '' ? error.message : `invalid regex \`${text}\`: ${error.message}`);
        }
      }
    }
  },
};
