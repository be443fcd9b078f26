import { RULE_KINDS } from '../../ir/types.js';
import { isRuleKind } from '../../schemas.js';
import { argumentNames } from '../../arguments/validate.js';
import type { Check } from '../registry.js';
import { closest } from '../suggest.js';

export const unknownArgument: Check = {
  id: 'unknown-argument',
  code: 'KSS1104',
  meta: {
    description: 'a rule has an argument its kind does not take',
    defaultSeverity: 'error',
    docs: {
      summary: 'Unknown argument keys are errors: a misspelled `per_days` would otherwise silently remove a limit (SPEC §4).',
      example: '- - rule: per-profile-throttle-rule\n    per_days: 5     # did you mean `per_day`?',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rules()) {
      if (rule.kind === null || !isRuleKind(rule.kind)) continue;
      const known = argumentNames(rule.kind);
      const takes = known.filter((k) => k !== 'rule_id');
      for (const arg of rule.args) {
        if (known.includes(arg.key)) continue;
        const suggestion = closest(arg.key, known);
        const owner = suggestion ? undefined : RULE_KINDS.find((k) => k !== rule.kind && argumentNames(k).includes(arg.key));
        ctx.report({
          node: arg.keyRange,
          message: takes.length === 0
            ? `\`${rule.kind}\` takes no arguments, found \`${arg.key}\``
            : `unknown argument \`${arg.key}\` for \`${rule.kind}\``,
          help: suggestion
            ? `did you mean \`${suggestion}\`?`
            : owner
              ? `\`${arg.key}\` is an argument of \`${owner}\`; write that as a rule of its own in the same rule set`
              : takes.length === 0
              ? 'remove it (only `rule_id` is allowed here)'
              : `\`${rule.kind}\` takes ${takes.map((k) => `\`${k}\``).join(', ')} and \`rule_id\``,
          data: suggestion ? { replacement: ctx.sameQuotes(arg.keyRange, suggestion) } : { remove: true },
        });
      }
    }
  },
};
