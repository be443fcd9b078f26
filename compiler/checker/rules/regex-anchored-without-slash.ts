import type { Check } from '../registry.js';
import { argument } from '../context.js';
import { readStrings } from '../../arguments/read.js';

/** `^` then a character that is certainly not `/`: a letter, digit, `_` or `-`. */
const ANCHORED_NO_SLASH = /^\^[A-Za-z0-9_-]/;

export const regexAnchoredWithoutSlash: Check = {
  id: 'regex-anchored-without-slash',
  code: 'KSS3009',
  meta: {
    description: 'a regex anchored with `^` but without `/` can only match incomplete paths',
    defaultSeverity: 'warning',
    docs: {
      summary: 'A complete path is matched with a leading `/` (SPEC §4.1: `finance/q1.pdf` is matched as `/finance/q1.pdf`), so a regex such as `^finance/` never matches a complete path; only incomplete ones (matched without the `/`) can match it. With `require_complete: true` it never matches at all. Write `^/finance/` to match from the root, or drop the `^` to match anywhere.',
      example: '    regexes: [\'^finance/\']     # write \'^/finance/\'',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('meta-rule')) {
      const requireComplete = argument(rule, 'require_complete')?.value.value === true;
      for (const { value, text } of readStrings(rule, 'regexes')) {
        const inverted = text.startsWith('!');
        const body = inverted ? text.slice(1) : text;
        if (!ANCHORED_NO_SLASH.test(body)) continue;
        const fixed = `${inverted ? '!' : ''}^/${body.slice(1)}`;
        ctx.report({
          node: value,
          message: requireComplete
            ? `\`${text}\` never matches: with \`require_complete\` every path is complete, and complete paths are matched with a leading \`/\``
            : `\`${text}\` can only match incomplete paths: complete paths are matched with a leading \`/\``,
          help: `write \`${fixed}\` to match from the root, or drop the \`^\` to match anywhere`,
          data: { replacement: ctx.sameQuotes(value.range, fixed) },
        });
      }
    }
  },
};
