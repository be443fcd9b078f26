/**
 * The optimiser: IR → a decision plan (plain JSON, stored in the artifact) that the runtime's fast
 * engine runs. It must decide exactly like the plain interpreter; it only changes how much work a
 * decision takes:
 * - constant folding: rules that always approve disappear, rule sets that can never approve are
 *   dropped, and nothing after a rule set that always approves is kept;
 * - predicate sharing: equal stateless rules (ignoring ids) become one predicate, evaluated at most
 *   once per decision;
 * - stateless predicates, cheapest first, before the throttles (which the quota store checks);
 * - a profile-id index: a rule set guarded by a profile-id-rule is only looked at for the profiles
 *   it names, so the cost does not grow with thousands of per-profile rule sets.
 */
import type { MetaPatternIR, PolicyIR, RuleIR, TimeOfDayIR } from '../ir/types.js';
import { foldRule } from './fold.js';
import type { LiteralPath } from './literal-path.js';

export const PLAN_VERSION = 1;

export type PredicatePlan =
  | { kind: 'has-profile' }
  | { kind: 'profile'; hexIds: string[]; wordLists: string[][] }
  | { kind: 'time'; start: TimeOfDayIR | null; end: TimeOfDayIR | null; days: number[]; include: string[]; exclude: string[] }
  | {
      kind: 'meta';
      patterns: MetaPatternIR[];
      /** Per pattern: the string test that can stand in for its RegExp (paths without `*` inside), or null. */
      literals: Array<LiteralPath | null>;
      caseSensitive: boolean;
      requireComplete: boolean;
    };

export interface ThrottlePlan {
  ruleId: string;
  perHour: number | null;
  perDay: number | null;
  persistent: boolean;
}

export interface RuleSetPlan {
  /** The index in the policy (the decision's `rule_set`). */
  ruleSet: number;
  ruleIds: string[];
  /** Indices into ProgramPlan.predicates, cheapest first. */
  predicates: number[];
  /**
   * The same without the guarding profile-id-rule when that rule names hex ids only: a rule set found
   * through byHex[profile id] has passed it already.
   */
  afterHexGuard: number[];
  throttles: ThrottlePlan[];
}

export interface TypePlan {
  type: string;
  /** The rule sets that can approve, in policy order (positions below index this list). */
  ruleSets: RuleSetPlan[];
  /** Positions of rule sets that no profile-id-rule guards. */
  open: number[];
  /** Lower-case hex profile id → positions of the rule sets whose guard names it. */
  byHex: Record<string, number[]>;
  /** First four profile words joined by a space → positions of the rule sets whose guard lists them. */
  byWords: Record<string, number[]>;
}

export interface ProgramPlan {
  version: typeof PLAN_VERSION;
  predicates: PredicatePlan[];
  types: TypePlan[];
}

/** Words a profile-id entry needs at least (SPEC §4.2); shorter lists cannot be indexed by four words. */
export const INDEX_WORDS = 4;

const COST: Record<PredicatePlan['kind'], number> = { 'has-profile': 0, profile: 1, time: 2, meta: 3 };

export function optimize(ir: PolicyIR): ProgramPlan {
  const predicates: PredicatePlan[] = [];
  const shared = new Map<string, number>();
  const intern = (p: PredicatePlan): number => {
    const key = JSON.stringify(p);
    let i = shared.get(key);
    if (i === undefined) {
      i = predicates.push(p) - 1;
      shared.set(key, i);
    }
    return i;
  };

  const types: TypePlan[] = ir.requestTypes.map((t) => {
    const type: TypePlan = { type: t.type, ruleSets: [], open: [], byHex: Object.create(null), byWords: Object.create(null) };
    for (const set of t.ruleSets) {
      const planned = planRuleSet(set.index, set.rules);
      if (planned === null) continue;
      const position = type.ruleSets.length;
      const ids = orderByCost(planned.predicates.map(intern), predicates);
      const guard = planned.predicates.find((p): p is Extract<PredicatePlan, { kind: 'profile' }> =>
        p.kind === 'profile' && p.wordLists.every((w) => w.length >= INDEX_WORDS));
      const guardId = guard && guard.wordLists.length === 0 ? intern(guard) : -1;
      type.ruleSets.push({ ...planned.ruleSet, predicates: ids, afterHexGuard: ids.filter((i) => i !== guardId) });
      if (guard) {
        for (const id of new Set(guard.hexIds)) (type.byHex[id] ??= []).push(position);
        for (const key of new Set(guard.wordLists.map((w) => w.slice(0, INDEX_WORDS).join(' ')))) (type.byWords[key] ??= []).push(position);
      } else {
        type.open.push(position);
      }
      // A rule set that always approves decides every request that reaches it.
      if (planned.predicates.length === 0 && planned.ruleSet.throttles.length === 0) break;
    }
    return type;
  });
  return { version: PLAN_VERSION, predicates, types };
}

/** The rule set's predicates and throttles, or null when it can never approve. */
function planRuleSet(index: number, rules: RuleIR[]): { ruleSet: Omit<RuleSetPlan, 'predicates' | 'afterHexGuard'>; predicates: PredicatePlan[] } | null {
  const predicates: PredicatePlan[] = [];
  const throttles: ThrottlePlan[] = [];
  for (const rule of rules) {
    const folded = foldRule(rule);
    if (folded === 'never') return null;
    if (folded === 'always') continue;
    if (folded.kind === 'throttle') throttles.push(folded.throttle);
    else predicates.push(folded.predicate);
  }
  if (throttles.length > 0) predicates.push({ kind: 'has-profile' });
  return { ruleSet: { ruleSet: index, ruleIds: rules.map((r) => r.ruleId), throttles }, predicates };
}

function orderByCost(indices: number[], predicates: PredicatePlan[]): number[] {
  return [...new Set(indices)].sort((a, b) => COST[predicates[a]!.kind] - COST[predicates[b]!.kind]);
}
