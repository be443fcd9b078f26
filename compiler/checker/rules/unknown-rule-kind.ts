import { RULE_KINDS } from '../../ir/types.js';
import type { Check } from '../registry.js';
import { closest } from '../suggest.js';

export const unknownRuleKind: Check = {
  id: 'unknown-rule-kind',
  code: 'KSS1103',
  meta: {
    description: 'a rule names a rule kind that does not exist',
    defaultSeverity: 'error',
    docs: {
      summary: 'The rule kinds are `meta-rule`, `profile-id-rule`, `time-range-rule`, `per-profile-throttle-rule`, `approve-rule`, `reject-rule` and `session-params-rule`.',
      example: '- - rule: time-rule     # did you mean `time-range-rule`?',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rules()) {
      if (rule.kind === null || rule.kindNode === null || (RULE_KINDS as readonly string[]).includes(rule.kind)) continue;
      const suggestion = closest(rule.kind, RULE_KINDS) ?? closest(`${rule.kind}-rule`, RULE_KINDS);
      ctx.report({
        node: rule.kindNode.value,
        message: `unknown rule kind \`${rule.kind}\``,
        help: suggestion ? `did you mean \`${suggestion}\`?` : `the rule kinds are ${RULE_KINDS.map((k) => `\`${k}\``).join(', ')}`,
        ...(suggestion ? { data: { replacement: ctx.sameQuotes(rule.kindNode.value.range, suggestion) } } : {}),
      });
    }
  },
};
