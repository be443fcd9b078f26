import type { Check } from '../registry.js';
import { readBoolean, readStrings } from '../../arguments/read.js';

export const invalidPathPattern: Check = {
  id: 'invalid-path-pattern',
  code: 'KSS2008',
  meta: {
    description: 'a `meta-rule` path pattern cannot be used',
    defaultSeverity: 'error',
    docs: {
      summary: "Path patterns (SPEC §4.1) are literal text with `*` (any run of characters other than `/`), an optional leading `!` to invert and an optional leading `/` to anchor at the root. The error points at the part of the pattern that cannot be used.",
      example: "    paths: ['!']       # an inverted pattern needs a pattern after the `!`",
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('meta-rule')) {
      const caseSensitive = readBoolean(rule, 'case_sensitive');
      for (const { value, text } of readStrings(rule, 'paths')) {
        for (const error of ctx.fragments.pattern('path', text, caseSensitive).errors) {
          ctx.reportInside(value, error, `invalid path pattern \`${text}\`: ${error.message}`);
        }
      }
    }
  },
};
