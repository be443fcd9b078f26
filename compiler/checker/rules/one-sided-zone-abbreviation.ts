import type { Check } from '../registry.js';
import { readWindow } from '../window.js';
import { abbreviationOf } from '../zone.js';

export const oneSidedZoneAbbreviation: Check = {
  id: 'one-sided-zone-abbreviation',
  code: 'KSS2014',
  meta: {
    description: 'one time of a window has a zone abbreviation and the other has none',
    defaultSeverity: 'error',
    docs: {
      summary: 'The reference ignores a zone abbreviation such as `EST` in a time (SPEC §4.3), but it cannot load a `time-range-rule` where one of the two times has an abbreviation and the other has none: it refuses the policy. Write the abbreviation on both times or on neither (it is ignored either way), or write an offset such as `-05:00`.',
      example: '    time_start: 9:00am EST\n    time_end: 5:00pm          # no abbreviation here: the reference refuses the policy',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rulesOfKind('time-range-rule')) {
      // A time that cannot be read is invalid-time's: it has no abbreviation to compare.
      const window = readWindow(ctx, rule);
      if (!window) continue;
      const [first, second] = [window.start, window.end].map((end) => ({ end, abbreviation: abbreviationOf(end.text, ctx.fragments.time(end.text)) }));
      if ((first!.abbreviation === null) === (second!.abbreviation === null)) continue;
      const [withIt, without] = first!.abbreviation ? [first!, second!] : [second!, first!];
      const abbreviation = withIt.abbreviation!;
      ctx.report({
        node: ctx.rangeInside(withIt.end.value, abbreviation.start, abbreviation.end),
        message: `\`${withIt.end.key}\` \`${withIt.end.text}\` has the zone abbreviation \`${abbreviation.word}\` and \`${without.end.key}\` \`${without.end.text}\` has none: the reference refuses this policy`,
        help: 'write the abbreviation on both times or on neither (the reference ignores it either way), or write an offset such as `-05:00`',
      });
    }
  },
};
