import type { Check } from '../registry.js';
import { readWindow } from '../window.js';
import { comparableMicros } from '../../ir/time-of-day.js';
import { formatOffset, mixedZones, offsetsOutOfOrder } from '../zone.js';

const WRAP = 'windows do not wrap around midnight; for a night window write two rule sets, one until midnight and one from midnight';

export const timeRangeOrder: Check = {
  id: 'time-range-order',
  code: 'KSS2004',
  meta: {
    description: '`time_start` is not before `time_end`',
    defaultSeverity: 'error',
    messages: {
      before: '`time_end` `{end}` is before `time_start` `{start}`',
      same: '`time_end` `{end}` is the same time as `time_start` `{start}`',
      inZone: '`time_end` `{end}` is not after `time_start` `{start}` when the server\'s zone `{zone}` is at {offset}',
    },
    docs: {
      summary: 'A window approves when `time_start <= now <= time_end` and does not wrap around midnight, so `time_start` must come first; the reference refuses the policy otherwise. For a night shift, write two rule sets (evening and morning). Times with zones compare as UTC. A time with a zone and one without compare only once the server\'s zone is known (`kss check --tz`, and wherever a policy is loaded): then they must be in order at every offset the zone uses, daylight saving included; without a zone, `zone-dependent-time-order` warns.',
      example: '    time_start: 10:00pm\n    time_end: 6:00am      # never approves: split it in two',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('time-range-rule')) {
      const window = readWindow(ctx, rule);
      if (!window) continue;
      const { start, end } = window;
      const [a, b] = [start.time, end.time];
      const values = { start: start.text, end: end.text };
      if (mixedZones(a, b)) {
        // Their order is the server's zone's to decide; with daylight saving, at each of its offsets.
        const zone = ctx.zone;
        const broken = zone ? offsetsOutOfOrder(a, b, zone.offsetsSeconds) : [];
        if (zone && broken.length > 0) {
          ctx.report({ node: end.value, messageId: 'inZone', values: { ...values, zone: zone.name, offset: formatOffset(broken[0]!) }, help: `the reference refuses this policy there; ${WRAP}` });
        }
        continue;
      }
      if (comparableMicros(a) < comparableMicros(b)) continue;
      const same = comparableMicros(a) === comparableMicros(b);
      ctx.report({
        node: end.value,
        messageId: same ? 'same' : 'before',
        values,
        help: same ? 'a window of one instant almost never approves; widen it' : WRAP,
      });
    }
  },
};
