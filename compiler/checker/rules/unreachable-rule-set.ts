import type { Check } from '../registry.js';
import { ruleSetAlwaysApproves } from '../outcomes.js';

export const unreachableRuleSet: Check = {
  id: 'unreachable-rule-set',
  code: 'KSS3001',
  meta: {
    description: 'a rule set comes after one that approves every request, so it is never tried',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Rule sets are tried in order and the first that approves decides (SPEC §2). After a rule set that always approves (only `approve-rule`, `session-params-rule` or an unrestricted `time-range-rule`, or an empty rule set), the later ones are dead: their throttles never count and their restrictions never apply. Usually the always-approving set was meant to come last, or a rule is missing from it.',
      example: 'decrypt:\n- - rule: approve-rule\n- - rule: meta-rule       # never reached\n    paths: [/finance]',
    },
  },
  check(ctx) {
    for (const type of ctx.ast.requestTypes) {
      const opener = type.ruleSets.find(ruleSetAlwaysApproves);
      if (!opener) continue;
      for (const set of type.ruleSets) {
        if (set.index <= opener.index) continue;
        ctx.report({
          node: set,
          message: `rule set ${set.index} of \`${type.name}\` is never reached: rule set ${opener.index} (line ${opener.range.start.line}) approves every request`,
          help: opener.rules.length === 0
            ? 'an empty rule set approves everything; remove it or add its rules'
            : 'move the always-approving rule set last, or add the rule that was meant to restrict it',
          data: { requestType: type.name, ruleSet: set.index },
        });
      }
    }
  },
};
