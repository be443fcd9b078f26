import type { ValueNode } from '../../source/ast.js';
import type { Check } from '../registry.js';
import { argument } from '../context.js';
import { covers } from '../patterns.js';
import type { WrittenPattern } from '../patterns.js';

export const shadowedInvertedPattern: Check = {
  id: 'shadowed-inverted-pattern',
  code: 'KSS3003',
  meta: {
    description: 'an inverted pattern comes after a normal pattern that matches everything it matches, so it never denies',
    defaultSeverity: 'warning',
    docs: {
      summary: 'Patterns are tried in order (all `regexes`, then all `paths`) and the first normal pattern that matches approves the path and stops (SPEC §4.1). An inverted pattern placed after a normal one that covers it never gets the chance to deny: `["/tax*", "!/taxi"]` approves `taxi`. Worse, an inverted pattern that does not match marks the path approved, so `["/finance", "!/finance/secret"]` approves every path, in `/finance` or not. Put exceptions first: `["!/finance/secret", "/finance"]` denies `/finance/secret` (and, by the same rule, approves everything else).',
      example: '    paths:\n    - /finance\n    - \'!/finance/secret\'     # too late: /finance already approved it',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('meta-rule')) {
      const caseSensitive = argument(rule, 'case_sensitive')?.value.value === true;
      const written: Array<WrittenPattern & { node: ValueNode; source: string }> = [];
      for (const kind of ['regex', 'path'] as const) {
        const arg = argument(rule, kind === 'regex' ? 'regexes' : 'paths');
        for (const item of arg?.value.items ?? []) {
          if (typeof item.value !== 'string') continue;
          const inverted = item.value.startsWith('!');
          written.push({ kind, inverted, text: inverted ? item.value.slice(1) : item.value, node: item, source: item.value });
        }
      }
      written.forEach((q, j) => {
        if (!q.inverted) return;
        const p = written.slice(0, j).find((candidate) => !candidate.inverted && covers(candidate, q, caseSensitive));
        if (!p) return;
        ctx.report({
          node: q.node,
          message: `\`${q.source}\` never denies anything: the earlier \`${p.source}\` (line ${p.node.range.start.line}) matches everything it matches and approves first`,
          help: (p.kind === q.kind
            ? `move \`${q.source}\` before \`${p.source}\``
            : `regexes are tried before paths; express the exception as a regex before \`${p.source}\`, or narrow \`${p.source}\``)
            + '; note that an inverted pattern that does not match approves the path (SPEC §4.1), so as written this rule approves paths outside both patterns too',
          data: { moveBefore: p.source },
        });
      });
    }
  },
};
