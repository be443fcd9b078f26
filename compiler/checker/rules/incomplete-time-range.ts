import type { Check } from '../registry.js';
import { argument } from '../context.js';

export const incompleteTimeRange: Check = {
  id: 'incomplete-time-range',
  code: 'KSS2003',
  meta: {
    description: 'a time-range-rule has only one of `time_start` and `time_end`',
    defaultSeverity: 'error',
    docs: {
      summary: '`time_start` and `time_end` go together (SPEC §4.3): write both, or neither for a rule about days only.',
      example: '- - rule: time-range-rule\n    time_start: 8:00am      # and time_end?',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('time-range-rule')) {
      const start = argument(rule, 'time_start');
      const end = argument(rule, 'time_end');
      if ((start === undefined) === (end === undefined)) continue;
      const present = (start ?? end)!;
      const missing = start ? 'time_end' : 'time_start';
      ctx.report({
        node: present.keyRange,
        message: `\`${present.key}\` without \`${missing}\``,
        help: `add \`${missing}\`, or remove \`${present.key}\` for a rule about days only`,
        data: { insertKey: missing },
      });
    }
  },
};
