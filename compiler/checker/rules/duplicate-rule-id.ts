import { hasExplicitRuleId } from '../../ir/rule-ids.js';
import type { Check } from '../registry.js';
import type { ArgumentNode } from '../../source/ast.js';

export const duplicateRuleId: Check = {
  id: 'duplicate-rule-id',
  code: 'KSS2011',
  // Ids are unique across the whole policy, and hash collisions are numbered across it.
  scope: 'policy',
  meta: {
    description: 'two rules have the same explicit `rule_id`',
    defaultSeverity: 'error',
    docs: {
      summary: 'Quota counts are stored under the rule id, so two rules with the same explicit `rule_id` would share counts. The reference rejects such policies (SPEC §5).',
      example: '- - rule: per-profile-throttle-rule\n    rule_id: daily\n    per_day: 5\n- - rule: per-profile-throttle-rule\n    rule_id: daily          # already used\n    per_day: 50',
    },
  },
  check(ctx) {
    const first = new Map<string, ArgumentNode>();
    for (const { rule } of ctx.rules()) {
      const id = rule.ruleId?.value.value;
      // An empty or zero `rule_id` is no id at all (the rule gets its text's id, SPEC §5).
      if (!rule.ruleId || !hasExplicitRuleId(rule) || typeof id === 'object') continue;
      const key = String(id);
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, rule.ruleId);
        continue;
      }
      ctx.report({
        node: rule.ruleId.value,
        message: `rule_id \`${key}\` is already used on line ${earlier.range.start.line}`,
        help: 'rule ids must be unique: quota counts are kept per rule id; rename one of them',
        data: { firstLine: earlier.range.start.line },
      });
    }
  },
};
