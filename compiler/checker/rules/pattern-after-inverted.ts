import type { Check } from '../registry.js';
import { argument } from '../context.js';

export const patternAfterInverted: Check = {
  id: 'pattern-after-inverted',
  code: 'KSS3008',
  meta: {
    description: 'a normal pattern comes after an inverted one, where it can never change the outcome',
    defaultSeverity: 'warning',
    docs: {
      summary: 'In a `meta-rule`, an inverted pattern (`!P`) denies the paths it matches and marks every other path approved (SPEC §4.1); patterns after it can still deny (another `!`) but a normal pattern there never changes anything. So `paths: [\'!/finance/board\', /finance]` approves every path except `/finance/board`, not "finance without the board". To say that, use two meta-rules in one rule set — both must approve: `paths: [/finance]` and `paths: [\'!/finance/board\']`.',
      example: '    paths:\n    - \'!/finance/board\'\n    - /finance          # no effect: everything but /finance/board is already approved',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('meta-rule')) {
      let inverted: { source: string; line: number } | null = null;
      for (const key of ['regexes', 'paths']) {
        for (const item of argument(rule, key)?.value.items ?? []) {
          if (typeof item.value !== 'string') continue;
          if (item.value.startsWith('!')) {
            inverted ??= { source: item.value, line: item.range.start.line };
            continue;
          }
          if (!inverted) continue;
          ctx.report({
            node: item,
            message: `\`${item.value}\` has no effect: the earlier inverted \`${inverted.source}\` (line ${inverted.line}) already approves every path it does not match`,
            help: `an inverted pattern denies what it matches and approves everything else; to approve only \`${item.value}\` without what \`${inverted.source}\` matches, write two meta-rules in this rule set: \`paths: ['${item.value}']\` and \`paths: ['${inverted.source}']\``,
          });
        }
      }
    }
  },
};
