import { assignRuleIds, hasExplicitRuleId } from '../../ir/rule-ids.js';
import type { RuleNode } from '../../source/ast.js';
import type { Check } from '../registry.js';

export const throttleWithoutRuleId: Check = {
  id: 'throttle-without-rule-id',
  code: 'KSS3005',
  // Ids are unique across the whole policy, and hash collisions are numbered across it.
  scope: 'policy',
  meta: {
    description: 'a `per-profile-throttle-rule` has no explicit `rule_id`',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Throttle counts are stored under the rule id. Without `rule_id` the id is computed from the rule\'s text (SPEC §5), so changing any argument — or adding an identical rule before it — silently resets everyone\'s counts. The quick fix inserts the rule\'s current id, which keeps today\'s counts.',
      example: '- - rule: per-profile-throttle-rule\n    per_day: 20              # add rule_id: decrypt-daily',
    },
  },
  check(ctx) {
    // The whole policy's ids, once a rule needs one: most policies name every throttle, and the
    // language server runs this check after each edit (issue 15).
    let ids: Map<RuleNode, string> | null = null;
    for (const { rule } of ctx.rulesOfKind('per-profile-throttle-rule')) {
      // An empty `rule_id` counts as none (the rule gets its text's id), as in lowering.
      if (hasExplicitRuleId(rule) || !rule.kindNode) continue;
      ids ??= new Map(assignRuleIds(ctx.ast, 'per-profile-throttle-rule').map((a) => [a.node, a.ruleId] as const));
      const current = ids.get(rule);
      ctx.report({
        node: rule.kindNode.value,
        message: 'throttle rule has no explicit `rule_id`, so its counts reset whenever its text changes',
        help: current
          ? `add \`rule_id: ${current}\` (its current id, which keeps the counts it has now) or a readable id`
          : 'add a `rule_id` such as `decrypt-daily-limit`',
        ...(current ? { data: { insertRuleId: current } } : {}),
      });
    }
  },
};
