import type { Check } from '../registry.js';
import { argument } from '../context.js';
import { comparableMicros } from '../../ir/time-of-day.js';

export const timeRangeOrder: Check = {
  id: 'time-range-order',
  code: 'KSS2004',
  meta: {
    description: '`time_start` is not before `time_end`',
    defaultSeverity: 'error',
    messages: {
      before: '`time_end` `{end}` is before `time_start` `{start}`',
      same: '`time_end` `{end}` is the same time as `time_start` `{start}`',
    },
    docs: {
      summary: 'A window approves when `time_start <= now <= time_end` and does not wrap around midnight, so `time_start` must come first. For a night shift, write two rule sets (evening and morning). Times with zones compare as UTC; a time with a zone and one without cannot be compared before the server\'s zone is known, and are not reported.',
      example: '    time_start: 10:00pm\n    time_end: 6:00am      # never approves: split it in two',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('time-range-rule')) {
      const start = argument(rule, 'time_start');
      const end = argument(rule, 'time_end');
      if (!start || !end || typeof start.value.value !== 'string' || typeof end.value.value !== 'string') continue;
      const a = ctx.fragments.time(start.value.value).value;
      const b = ctx.fragments.time(end.value.value).value;
      if (!a || !b || (a.offsetSeconds === null) !== (b.offsetSeconds === null)) continue;
      if (comparableMicros(a) < comparableMicros(b)) continue;
      const same = comparableMicros(a) === comparableMicros(b);
      ctx.report({
        node: end.value,
        messageId: same ? 'same' : 'before',
        values: { start: start.value.value, end: end.value.value },
        help: same
          ? 'a window of one instant almost never approves; widen it'
          : 'windows do not wrap around midnight; for a night window write two rule sets, one until midnight and one from midnight',
      });
    }
  },
};
