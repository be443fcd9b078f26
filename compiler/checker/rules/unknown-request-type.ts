import { REQUEST_TYPES } from '../../ir/types.js';
import type { Check } from '../registry.js';
import { closest } from '../suggest.js';

export const unknownRequestType: Check = {
  id: 'unknown-request-type',
  code: 'KSS1101',
  meta: {
    description: 'a top-level key is not a request type',
    defaultSeverity: 'error',
    docs: {
      summary: 'The top level of a policy maps request types to rule sets. Any other key is an error: a misspelled `decrpyt` would otherwise leave `decrypt` denied by default.',
      example: 'decrpyt:          # did you mean `decrypt`?\n- - rule: approve-rule',
    },
  },
  check(ctx) {
    for (const type of ctx.ast.requestTypes) {
      if ((REQUEST_TYPES as readonly string[]).includes(type.name)) continue;
      const suggestion = closest(type.name, REQUEST_TYPES);
      ctx.report({
        node: type.nameRange,
        message: `unknown request type \`${type.name}\``,
        help: suggestion
          ? `did you mean \`${suggestion}\`?`
          : `the request types are ${REQUEST_TYPES.map((t) => `\`${t}\``).join(', ')}`,
        ...(suggestion ? { data: { replacement: ctx.sameQuotes(type.nameRange, suggestion) } } : {}),
      });
    }
  },
};
