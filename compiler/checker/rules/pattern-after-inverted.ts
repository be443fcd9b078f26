import type { Check } from '../registry.js';
import { argument } from '../context.js';

export const patternAfterInverted: Check = {
  id: 'pattern-after-inverted',
  code: 'KSS3008',
  meta: {
    description: 'a normal pattern comes after the last inverted one, where it can never change the outcome',
    defaultSeverity: 'warning',
    docs: {
      summary: 'In a `meta-rule`, an inverted pattern (`!P`) denies the paths it matches and marks every other path approved (SPEC §4.1); a normal pattern after the last inverted one never changes anything (between two inverted patterns it still matters: it stops the walk before the second can deny). So `paths: [\'!/finance/board\', /finance]` approves every path except `/finance/board`, not "finance without the board". To say that, use two meta-rules in one rule set — both must approve: `paths: [/finance]` and `paths: [\'!/finance/board\']`.',
      example: '    paths:\n    - \'!/finance/board\'\n    - /finance          # no effect: everything but /finance/board is already approved',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('meta-rule')) {
      // The walk order of SPEC §4.1: all regexes, then all paths.
      const walk = ['regexes', 'paths'].flatMap((key) => (argument(rule, key)?.value.items ?? []).filter((item) => typeof item.value === 'string'));
      const texts = walk.map((item) => item.value as string);
      const firstInverted = texts.findIndex((t) => t.startsWith('!'));
      if (firstInverted < 0) continue;
      // A normal pattern stops the walk, so it still matters when a later inverted pattern could deny.
      const lastInverted = texts.length - 1 - [...texts].reverse().findIndex((t) => t.startsWith('!'));
      const inverted = { source: texts[firstInverted]!, line: walk[firstInverted]!.range.start.line };
      for (let j = lastInverted + 1; j < walk.length; j++) {
        const item = walk[j]!;
        const text = texts[j]!;
        ctx.report({
          node: item,
          message: `\`${text}\` has no effect: the earlier inverted \`${inverted.source}\` (line ${inverted.line}) already approves every path it does not match`,
          help: `an inverted pattern denies what it matches and approves everything else; to approve only \`${text}\` without what \`${inverted.source}\` matches, write two meta-rules in this rule set: \`paths: ['${text}']\` and \`paths: ['${inverted.source}']\``,
        });
      }
    }
  },
};
