import { isRuleKind, ruleSchemas } from '../../schemas.js';
import { RULE_KINDS } from '../../ir/types.js';
import type { RuleKind } from '../../ir/types.js';
import { argument } from '../context.js';
import type { Check } from '../registry.js';

/** The arguments each kind's schema requires (`rule` itself is missing-rule-kind's). */
const REQUIRED = new Map<RuleKind, string[]>(RULE_KINDS.map((kind) => [kind, ((ruleSchemas[kind] as { required?: string[] }).required ?? []).filter((key) => key !== 'rule')]));

export const missingArgument: Check = {
  id: 'missing-argument',
  code: 'KSS1106',
  meta: {
    description: 'a rule lacks an argument its kind requires',
    defaultSeverity: 'error',
    docs: {
      summary: 'Some arguments are required by their rule\'s schema in `schemas/rules/`: a `profile-id-rule` without `profile_ids` cannot be loaded by the reference (it reads `args["profile_ids"]`), and kss refuses it too.',
      example: '- - rule: profile-id-rule       # which profiles?',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rules()) {
      if (rule.kind === null || !isRuleKind(rule.kind) || !rule.kindNode) continue;
      for (const key of REQUIRED.get(rule.kind)!) {
        if (argument(rule, key)) continue;
        ctx.report({
          node: rule.kindNode.value,
          message: `\`${rule.kind}\` needs \`${key}\``,
          help: `add \`${key}\`; the reference cannot load the rule without it`,
          data: { insertKey: key },
        });
      }
    }
  },
};
