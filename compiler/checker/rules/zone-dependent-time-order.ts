import type { Check } from '../registry.js';
import { readWindow } from '../window.js';
import { formatOffset, mixedZones, outOfOrderSomewhere } from '../zone.js';

export const zoneDependentTimeOrder: Check = {
  id: 'zone-dependent-time-order',
  code: 'KSS3012',
  meta: {
    description: 'whether `time_start` is before `time_end` depends on the server\'s zone',
    defaultSeverity: 'warning',
    messages: {
      east: '`time_start` `{start}` is not before `time_end` `{end}` where the server\'s zone is at {offset} or east of it',
      west: '`time_start` `{start}` is not before `time_end` `{end}` where the server\'s zone is at {offset} or west of it',
    },
    docs: {
      summary: 'A time with an offset (`09:00+04:00`) and one without (`17:00`, in the server\'s zone) compare only once the server\'s zone is known: in some zones `time_start` then comes after `time_end`, and the reference refuses the policy there. Without a zone (`kss check` with no `--tz`), this warns when some zone in use would do that; with the zone given, `time-range-order` decides exactly.',
      example: '    time_start: 09:00+04:00    # 05:00 UTC\n    time_end: \'6:00\'          # 06:00 in the server\'s zone: out of order east of UTC+01:00',
    },
  },
  check(ctx) {
    if (ctx.zone) return; // time-range-order is exact then
    for (const { rule } of ctx.rulesOfKind('time-range-rule')) {
      const window = readWindow(ctx, rule);
      if (!window || !mixedZones(window.start.time, window.end.time)) continue;
      const { start, end } = window;
      const where = outOfOrderSomewhere(start.time, end.time);
      if (!where) continue;
      const east = 'from' in where;
      ctx.report({
        node: end.value,
        messageId: east ? 'east' : 'west',
        values: { start: start.text, end: end.text, offset: formatOffset(east ? where.from : where.to) },
        help: 'the reference refuses the policy on such a server; give the server\'s zone (`kss check --tz ZONE`) to know, or write both times with an offset or both without',
      });
    }
  },
};
