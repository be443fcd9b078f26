import type { Check } from '../registry.js';
import { matchingCosts } from '../fragments.js';

export const patternUnderStepBudget: Check = {
  id: 'pattern-under-step-budget',
  code: 'KSS3011',
  meta: {
    description: 'a `meta-rule` regex is matched by backtracking, under a step budget',
    defaultSeverity: 'warning',
    docs: {
      summary: "A regex with a back-reference, or a look-around that reads more than one character, cannot be matched by kss's linear-time automaton. It runs on a backtracker that stops after a fixed number of steps: a meta that would take longer does not approve (SPEC §2.5), and the server logs it and counts it in `kss_match_undecided_total`. The static check (KSS2013) found no blow-up in this regex, so ordinary metas stay far below the budget; the warning says where the policy relies on it.",
      example: "    regexes: ['^(\\w+)-\\1$']     # the back-reference needs backtracking",
    },
  },
  check(ctx) {
    for (const { value, text, cost } of matchingCosts(ctx)) {
      if (cost.kind !== 'budget' || cost.blowup) continue;
      ctx.report({
        node: ctx.rangeInside(value, cost.start, cost.end),
        message: `regex \`${text}\` needs backtracking (a ${cost.needs}): it runs under a step budget, and a meta that exceeds it does not approve`,
        help: cost.needs === 'back-reference' ? 'without the back-reference the regex is matched in linear time' : 'a look-around of one character (`(?=x)`, `(?<![a-z])`) is matched in linear time; a wider one needs backtracking',
      });
    }
  },
};
