import type { Check } from '../registry.js';
import { neverApproves } from '../outcomes.js';

export const ruleSetNeverApproves: Check = {
  id: 'rule-set-never-approves',
  code: 'KSS3002',
  meta: {
    description: 'a rule set can never approve',
    defaultSeverity: 'warning',
    docs: {
      summary: 'A rule set approves only when all its rules do. One with a `reject-rule`, a throttle whose `per_hour` or `per_day` is 0, an empty `days` list, two time windows that do not overlap or two `time-range-rule`s with no weekday in common never approves, which is almost always a mistake. To deny every request of a type, write the type with no rule sets: `create_profile: []`.',
      example: 'decrypt:\n- - rule: time-range-rule\n    time_start: 8:00am\n    time_end: 10:00am\n  - rule: time-range-rule\n    time_start: 2:00pm\n    time_end: 4:00pm     # windows do not overlap',
    },
  },
  check(ctx) {
    for (const { requestType: type, ruleSet: set } of ctx.ruleSets()) {
      const never = neverApproves(ctx, set);
      if (!never) continue;
      ctx.report({
        node: never.node,
        message: `rule set ${set.index} of \`${type.name}\` can never approve: ${never.reason}`,
        help: `remove the rule set, or fix the rule that cannot approve; to deny every \`${type.name}\` request write \`${type.name}: []\``,
        data: { requestType: type.name, ruleSet: set.index },
      });
    }
  },
};
