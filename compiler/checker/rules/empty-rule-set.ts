import type { Check } from '../registry.js';

export const emptyRuleSet: Check = {
  id: 'empty-rule-set',
  code: 'KSS3010',
  meta: {
    description: 'an empty rule set approves every request',
    defaultSeverity: 'warning',
    docs: {
      summary: 'A rule set approves when all its rules do, so a rule set with no rules approves every request of its type (SPEC §2.3). That is rarely meant: usually its rules were lost in an edit. Write `- - rule: approve-rule` if approving everything is the intent.',
      example: 'decrypt:\n- []        # approves every decrypt request',
    },
  },
  check(ctx) {
    for (const { requestType: type, ruleSet: set } of ctx.ruleSets()) {
      if (set.rules.length > 0) continue;
      ctx.report({
        node: set,
        message: `rule set ${set.index} of \`${type.name}\` is empty, so it approves every request`,
        help: 'add its rules, remove it, or write `- - rule: approve-rule` if approving everything is meant',
        data: { requestType: type.name, ruleSet: set.index },
      });
    }
  },
};
