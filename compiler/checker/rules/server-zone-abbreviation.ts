import type { Check } from '../registry.js';
import { readString } from '../../arguments/read.js';
import { abbreviationOf, formatOffset } from '../zone.js';

export const serverZoneAbbreviation: Check = {
  id: 'server-zone-abbreviation',
  code: 'KSS2015',
  meta: {
    description: 'a time names the server\'s own zone by an abbreviation, in a zone with daylight saving',
    defaultSeverity: 'error',
    docs: {
      summary: 'The reference ignores zone abbreviations, except one that names the server\'s own zone: then it reads the time in the local zone without a date, and in a zone with daylight saving it cannot tell the offset and fails on every request (SPEC §4.3). So `5:00pm EST` under `America/New_York` is an error. It is known only where the server\'s zone is: `kss check --tz ZONE`, serve, policy load, `kss eval` and `kss test`; `kss check` without a zone warns (`ignored-time-zone`). Drop the abbreviation for wall-clock time, or write an offset.',
      example: '# kss check --tz America/New_York\n    time_end: 5:00pm EST     # the reference fails on every request',
    },
  },
  check(ctx) {
    const zone = ctx.zone;
    if (!zone?.hasDaylightSaving) return;
    for (const { rule } of ctx.rulesOfKind('time-range-rule')) {
      for (const key of ['time_start', 'time_end']) {
        const time = readString(rule, key);
        const abbreviation = time && abbreviationOf(time.text, ctx.fragments.time(time.text));
        if (!time || !abbreviation || !zone.abbreviations.includes(abbreviation.word)) continue;
        // As ignored-time-zone does: the range takes in the space before, so removing it leaves `5:00pm`.
        const from = time.text.slice(0, abbreviation.start).trimEnd().length;
        ctx.report({
          node: ctx.rangeInside(time.value, from, abbreviation.end),
          message: `\`${abbreviation.word}\` names the server's zone \`${zone.name}\`, which has daylight saving: the reference fails on every request with this time`,
          help: `drop the abbreviation to mean the server's local time all year, or write an offset (${zone.offsetsSeconds.map((o) => `\`${formatOffset(o).slice(3)}\``).join(' or ')})`,
          data: { replacement: '' },
        });
      }
    }
  },
};
