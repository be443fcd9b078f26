import { INCOMPATIBLE_RULES } from '../../ir/types.js';
import type { RequestType, RuleKind } from '../../ir/types.js';
import type { Check } from '../registry.js';

const WHY: Record<string, string> = {
  'meta-rule': 'these requests carry no file paths to match',
  'profile-id-rule': 'the profile does not exist yet when it is created',
  'per-profile-throttle-rule': 'the profile does not exist yet when it is created',
};

export const incompatibleRule: Check = {
  id: 'incompatible-rule',
  code: 'KSS2001',
  meta: {
    description: 'a rule kind is not allowed for the request type (SPEC §3)',
    defaultSeverity: 'error',
    docs: {
      summary: '`create_profile` may not use `profile-id-rule`, `per-profile-throttle-rule` or `meta-rule`; `create_location` and `search` may not use `meta-rule`. The reference rejects such policies.',
      example: 'search:\n- - rule: meta-rule      # not allowed in `search`\n    paths: [/finance]',
    },
  },
  check(ctx) {
    for (const { requestType, rule } of ctx.rules()) {
      const banned = INCOMPATIBLE_RULES[requestType.name as RequestType];
      if (!banned || rule.kind === null || !rule.kindNode || !banned.includes(rule.kind as RuleKind)) continue;
      ctx.report({
        node: rule.kindNode.value,
        message: `\`${rule.kind}\` is not allowed in \`${requestType.name}\``,
        help: `${WHY[rule.kind] ?? 'it has no meaning there'}; remove the rule or move it to another request type`,
      });
    }
  },
};
