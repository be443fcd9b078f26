import type { Check } from '../registry.js';
import { matchingCosts } from '../fragments.js';
import { MAX_INSTRUCTIONS } from '../../grammars/automaton/program.js';

const WHY = {
  nested: 'a repetition inside a repetition can split the same text in exponentially many ways',
  overlap: 'two repetitions can read the same text, so backtracking tries every way of sharing it out',
  search: 'the pattern is tried from every position of the meta, and this repetition reads over the same text each time',
  'look-around': 'a look-around that reads unboundedly far is evaluated at every position of the meta',
  complex: 'the pattern is too complex to prove that backtracking over it stays linear',
} as const;

export const superLinearPattern: Check = {
  id: 'super-linear-pattern',
  code: 'KSS2013',
  meta: {
    description: 'a `meta-rule` pattern cannot be matched in bounded time',
    defaultSeverity: 'error',
    messages: {
      blowup: '{kind} backtracking in {what} `{text}`: {why}',
      tooLarge: '{what} `{text}` is too large to match in linear time (more than {limit} automaton instructions)',
    },
    docs: {
      summary: 'kss matches every path pattern, and every regex without back-references or look-arounds wider than one character, in time linear in the meta\'s length (SPEC §4.1). The others need backtracking; kss checks them statically (the classical ambiguity criteria on the pattern\'s automaton) and reports the ones whose backtracking can take exponential or polynomial time, at the repetition responsible: an attacker could send a meta that takes seconds to match. A pattern whose counted repetitions expand beyond the automaton\'s size limit is also reported.',
      example: "    regexes: ['(\\w+)\\s+\\1']     # searched from every position: quadratic; anchor it (`^(\\w+)\\s+\\1$`) or drop the back-reference",
    },
  },
  check(ctx) {
    for (const { kind, value, text, cost } of matchingCosts(ctx)) {
      const what = kind === 'regex' ? 'regex' : 'path pattern';
      if (cost.kind === 'too-large') {
        ctx.report({ node: value, messageId: 'tooLarge', values: { what, text, limit: MAX_INSTRUCTIONS }, help: 'write a smaller count (`{n,}` instead of a large `{n,m}`), or split the pattern' });
      } else if (cost.kind === 'budget' && cost.blowup) {
        const { blowup } = cost;
        ctx.report({
          node: ctx.rangeInside(value, blowup.start, blowup.end),
          messageId: 'blowup',
          values: { kind: blowup.kind, what, text, why: WHY[blowup.reason] },
          help: `the ${cost.needs} makes kss match this regex by backtracking; rewrite the repetition so that each character can be read one way only, anchor the regex at the start (\`^\`), or do without the ${cost.needs} so that it runs in linear time`,
        });
      }
    }
  },
};
