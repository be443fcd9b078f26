import { RULE_KINDS } from '../../ir/types.js';
import { argumentNames } from '../../arguments/validate.js';
import type { Check } from '../registry.js';
import { closest } from '../suggest.js';
import { describeValue } from '../values.js';

export const missingRuleKind: Check = {
  id: 'missing-rule-kind',
  code: 'KSS1102',
  meta: {
    description: 'a rule has no `rule` key naming its kind, or it is not a string',
    defaultSeverity: 'error',
    docs: {
      summary: 'Every rule is a mapping whose `rule` key names the rule kind, e.g. `rule: meta-rule`.',
      example: '- - paths: [/finance]     # missing `rule: meta-rule`',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rules()) {
      if (rule.kindNode === null) {
        const likely = RULE_KINDS.find((k) => rule.args.length > 0 && rule.args.every((a) => argumentNames(k).includes(a.key)));
        const misspelled = rule.args.find((a) => closest(a.key, ['rule']) === 'rule' && a.key !== 'rule');
        ctx.report({
          node: misspelled ? misspelled.keyRange : rule.range,
          message: misspelled ? `rule has no \`rule\` key; \`${misspelled.key}\` looks like a misspelling of it` : 'rule has no `rule` key naming its kind',
          help: misspelled
            ? 'did you mean `rule`?'
            : likely
              ? `these arguments belong to \`${likely}\`: add \`rule: ${likely}\``
              : 'add e.g. `rule: meta-rule`; every rule names its kind with `rule`',
          ...(misspelled ? { data: { replacement: ctx.sameQuotes(misspelled.keyRange, 'rule') } } : {}),
        });
      } else if (typeof rule.kindNode.value.value !== 'string') {
        ctx.report({
          node: rule.kindNode.value,
          message: `\`rule\` must name a rule kind, not ${describeValue(rule.kindNode.value.value)}`,
          help: 'write e.g. `rule: meta-rule`',
        });
      }
    }
  },
};
