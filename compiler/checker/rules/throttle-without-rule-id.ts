import { hasExplicitRuleId, hashRule } from '../../ir/rule-ids.js';
import type { RuleNode } from '../../source/ast.js';
import type { Check } from '../registry.js';
import type { CheckContext } from '../context.js';

export const throttleWithoutRuleId: Check = {
  id: 'throttle-without-rule-id',
  code: 'KSS3005',
  meta: {
    description: 'a `per-profile-throttle-rule` has no explicit `rule_id`',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Throttle counts are stored under the rule id. Without `rule_id` the id is computed from the rule\'s text (SPEC §5), so changing any argument — or adding an identical rule before it — silently resets everyone\'s counts. The quick fix inserts the rule\'s current id, which keeps today\'s counts.',
      example: '- - rule: per-profile-throttle-rule\n    per_day: 20              # add rule_id: decrypt-daily',
    },
  },
  check(ctx) {
    const ids = implicitThrottleIds(ctx);
    for (const { rule } of ctx.rulesOfKind('per-profile-throttle-rule')) {
      // An empty `rule_id` counts as none (the rule gets its text's id), as in lowering.
      if (hasExplicitRuleId(rule) || !rule.kindNode) continue;
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

/**
 * The SPEC §5 ids of the throttles without `rule_id`, as compiler/ir/rule-ids.ts hands them out, but
 * hashing only those rules: another kind of rule can never share a throttle's hash (the hashed text
 * includes `rule`), and explicit ids count as seen without hashing. Hashing every rule of a
 * 60,000-line policy would dominate `kss check`'s time.
 */
function implicitThrottleIds(ctx: CheckContext): Map<RuleNode, string> {
  const seen = new Map<string, number>();
  const ids = new Map<RuleNode, string>();
  for (const { rule } of ctx.rules()) {
    if (hasExplicitRuleId(rule)) {
      const key = String(rule.ruleId!.value.value);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      continue;
    }
    if (rule.kind !== 'per-profile-throttle-rule') continue;
    const base = hashRule(rule);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    ids.set(rule, count === 1 ? base : `${base}.${count}`);
  }
  return ids;
}
