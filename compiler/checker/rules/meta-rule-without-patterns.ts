import type { Check } from '../registry.js';
import { argument } from '../context.js';

export const metaRuleWithoutPatterns: Check = {
  id: 'meta-rule-without-patterns',
  code: 'KSS2010',
  meta: {
    description: 'a `meta-rule` has no path pattern and no regex',
    defaultSeverity: 'error',
    docs: {
      summary: 'A `meta-rule` needs at least one entry in `paths` or `regexes` (SPEC §4.1); without one it could never approve.',
      example: '- - rule: meta-rule\n    case_sensitive: true     # but which paths?',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('meta-rule')) {
      const paths = argument(rule, 'paths');
      const regexes = argument(rule, 'regexes');
      const count = (arg: typeof paths) => (Array.isArray(arg?.value.value) ? arg.value.value.length : arg ? 1 : 0);
      if (count(paths) + count(regexes) > 0) continue;
      const empty = paths ?? regexes;
      ctx.report({
        node: empty ? empty.value : rule.kindNode?.value ?? rule,
        message: empty ? `\`${empty.key}\` is empty and the \`meta-rule\` has no other pattern` : '`meta-rule` has no `paths` and no `regexes`',
        help: 'add at least one path pattern (e.g. `paths: [/finance]`) or regex; a meta-rule without patterns never approves',
        // Only offer to add `paths:` when the rule has no such key yet (else it would be a duplicate key).
        ...(empty ? {} : { data: { insertKey: 'paths' } }),
      });
    }
  },
};
