/** Constant folding of single rules: which always approve, which never can, and what the rest need. */
import type { RuleIR, TimeOfDayIR } from '../ir/types.js';
import { comparableMicros } from '../ir/time-of-day.js';
import { literalPath } from './literal-path.js';
import type { PredicatePlan, ThrottlePlan } from './plan.js';

export type Folded = 'always' | 'never' | { kind: 'predicate'; predicate: PredicatePlan } | { kind: 'throttle'; throttle: ThrottlePlan };

export function foldRule(rule: RuleIR): Folded {
  switch (rule.kind) {
    case 'approve-rule':
    case 'session-params-rule':
      return 'always';
    case 'reject-rule':
      return 'never';
    case 'profile-id-rule':
      if (rule.hexIds.length === 0 && rule.wordLists.length === 0) return 'never';
      return { kind: 'predicate', predicate: { kind: 'profile', hexIds: rule.hexIds, wordLists: rule.wordLists } };
    case 'meta-rule':
      // With no pattern the walk never marks an entry, and auth_meta must not be empty.
      if (rule.patterns.length === 0) return 'never';
      return {
        kind: 'predicate',
        predicate: {
          kind: 'meta',
          patterns: rule.patterns,
          literals: rule.patterns.map((p) => (p.kind === 'path' ? literalPath(p.source, rule.caseSensitive) : null)),
          caseSensitive: rule.caseSensitive,
          requireComplete: rule.requireComplete,
        },
      };
    case 'time-range-rule': {
      const { start, end, days, include, exclude } = rule;
      const someDay = days.some((d) => d >= 0 && d <= 6) || include.some((d) => !exclude.includes(d));
      if (!someDay || (start !== null && end !== null && emptyRange(start, end))) return 'never';
      return { kind: 'predicate', predicate: { kind: 'time', start, end, days, include, exclude } };
    }
    case 'per-profile-throttle-rule':
      if ((rule.perHour !== null && rule.perHour <= 0) || (rule.perDay !== null && rule.perDay <= 0)) return 'never';
      return { kind: 'throttle', throttle: { ruleId: rule.ruleId, perHour: rule.perHour, perDay: rule.perDay, persistent: rule.persistent } };
  }
}

/** True when no moment can lie in [start, end]; only decidable when both ends shift by the same offset. */
function emptyRange(start: TimeOfDayIR, end: TimeOfDayIR): boolean {
  if ((start.offsetSeconds === null) !== (end.offsetSeconds === null)) return false;
  return comparableMicros(start) > comparableMicros(end);
}
