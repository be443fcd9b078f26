import type { Check } from '../registry.js';

/**
 * The reference's loader edits each rule mapping in place (it stores the rule id in it and takes the
 * `rule` key out), so a mapping it meets a second time through an alias has no `rule` any more and
 * the whole policy fails to load there. A `<<: *anchor` merge makes a new mapping and is fine.
 */
export const aliasedRule: Check = {
  id: 'aliased-rule',
  code: 'KSS2012',
  meta: {
    description: 'a rule, rule set or rule tree is an alias of one written elsewhere',
    defaultSeverity: 'error',
    docs: {
      summary:
        'YAML aliases (`*name`) may share values, but not whole rules: the reference engine edits each rule while it loads the policy and refuses a rule it meets a second time, so a policy that reuses a rule, a rule set or a rule tree through an alias does not load there. Share a rule\'s arguments with a merge key instead (`- <<: *office_hours`), which makes a new rule.',
      example: 'decrypt:\n- - &office {rule: time-range-rule, time_start: "9:00", time_end: "17:00"}\nsearch:\n- - *office              # the same rule twice',
    },
  },
  check(ctx) {
    const text = ctx.ast.text;
    const isAlias = (offset: number) => text[offset] === '*';
    const help = 'write the rule again, or share its arguments with a merge key: `- <<: *name` (a new rule with the same arguments)';
    for (const requestType of ctx.ast.requestTypes) {
      if (isAlias(requestType.valueRange.start.offset)) {
        ctx.report({ node: requestType.valueRange, message: `the rule tree of \`${requestType.name}\` is an alias of one written elsewhere; the reference engine cannot load a rule twice`, help });
        continue;
      }
      for (const ruleSet of requestType.ruleSets) {
        if (isAlias(ruleSet.range.start.offset)) {
          ctx.report({ node: ruleSet.range, message: `rule set ${ruleSet.index} is an alias of one written elsewhere; the reference engine cannot load a rule twice`, help });
          continue;
        }
        for (const rule of ruleSet.rules) {
          if (isAlias(rule.range.start.offset)) {
            ctx.report({ node: rule.range, message: 'this rule is an alias of one written elsewhere; the reference engine cannot load a rule twice', help });
          }
        }
      }
    }
  },
};
