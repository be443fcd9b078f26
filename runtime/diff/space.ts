/**
 * The request space of one request type under two policies, cut into classes along its three
 * independent sides (profile, time, auth_meta), and each rule set of either policy as the classes
 * of each side it approves. Rules that read nothing of the request (approve, reject, session
 * parameters, a throttle with fresh counters) make a rule set always or never approve.
 */
import type { RuleIR, RuleSetIR } from '../../compiler/ir/types.js';
import { belowLimits } from '../quota/rule.js';
import type { Instant, Zone } from '../time/index.js';
import { metaSpace, type MetaRule, type MetaSpace } from './metas.js';
import { profileSpace, type ProfileRule, type ProfileSpace } from './profiles.js';
import { timeSpace, type TimeClass, type TimeRule } from './times.js';

/** A rule set as indexes into the sides' distinct rules; `never` when it cannot approve at all. */
export interface RuleSetShape {
  index: number;
  never: boolean;
  profile: number[];
  time: number[];
  meta: number[];
}

export interface Space {
  profiles: ProfileSpace;
  times: TimeClass[];
  /** Every distinct meta-rule of both policies; `metas` judges only those the comparison needs (compare.ts fills it). */
  metaRules: MetaRule[];
  metas: MetaSpace;
  old: RuleSetShape[] | null;
  new: RuleSetShape[] | null;
  /** Per old rule set: the new policy has the same rule set (same rules, ids included) at the same index. */
  same: boolean[];
}

/**
 * What rule sets decide, as text: their rules without the ids, which decide nothing, except a
 * throttle's (its counters live under it). Ids move when an equal rule elsewhere is added or removed.
 */
export function meaningOf(sets: readonly RuleSetIR[]): string {
  return JSON.stringify(sets.map((rs) => rs.rules.map((r) => (r.kind === 'per-profile-throttle-rule' ? r : { ...r, ruleId: null, explicitId: null }))));
}

/** Distinct rules of one side, by what they mean (two rules with equal arguments judge alike). */
class Side<R extends RuleIR> {
  readonly rules: R[] = [];
  private readonly ids = new Map<string, number>();

  indexOf(rule: R): number {
    const { ruleId: _id, explicitId: _explicit, ...meaning } = rule;
    const key = JSON.stringify(meaning);
    let i = this.ids.get(key);
    if (i === undefined) {
      i = this.rules.push(rule) - 1;
      this.ids.set(key, i);
    }
    return i;
  }
}

export function buildSpace(oldSets: RuleSetIR[] | null, newSets: RuleSetIR[] | null, zone: Zone, from: Instant): Space {
  const sides = { profile: new Side<ProfileRule>(), time: new Side<TimeRule>(), meta: new Side<MetaRule>() };
  const shape = (sets: RuleSetIR[] | null) => (sets === null ? null : sets.map((rs) => shapeOf(rs, sides)));
  const old = shape(oldSets);
  const nw = shape(newSets);
  return {
    profiles: profileSpace(sides.profile.rules),
    times: timeSpace(sides.time.rules, zone, from),
    metaRules: sides.meta.rules,
    metas: { rules: sides.meta.rules, classes: [], inexact: [] },
    old,
    new: nw,
    same: (oldSets ?? []).map((rs) => newSets?.[rs.index] !== undefined && meaningOf([rs]) === meaningOf([newSets[rs.index]!])),
  };
}

function shapeOf(rs: RuleSetIR, sides: { profile: Side<ProfileRule>; time: Side<TimeRule>; meta: Side<MetaRule> }): RuleSetShape {
  const s: RuleSetShape = { index: rs.index, never: false, profile: [], time: [], meta: [] };
  for (const rule of rs.rules) {
    switch (rule.kind) {
      case 'profile-id-rule':
        s.profile.push(sides.profile.indexOf(rule));
        break;
      case 'time-range-rule':
        s.time.push(sides.time.indexOf(rule));
        break;
      case 'meta-rule':
        s.meta.push(sides.meta.indexOf(rule));
        break;
      case 'reject-rule':
        s.never = true;
        break;
      case 'per-profile-throttle-rule':
        // With counters at zero (what `kss eval` starts from) only a limit of 0 stops it.
        if (!belowLimits(0, 0, rule)) s.never = true;
        break;
      default:
        break;
    }
  }
  return s;
}

/**
 * The auth_meta classes of the meta-rules in `needed` only: where the same rule sets stand on both
 * sides nothing is compared, so their patterns need not be walked. Answers are indexed like
 * `rules` (false for the rules not needed, which no compared rule set reads).
 */
export function neededMetaSpace(rules: MetaRule[], needed: ReadonlySet<number>): MetaSpace {
  const subset = [...needed].sort((a, b) => a - b);
  const projected = metaSpace(subset.map((i) => rules[i]!));
  const classes = projected.classes.map((c) => {
    const approves = new Array<boolean>(rules.length).fill(false);
    subset.forEach((r, k) => (approves[r] = c.approves[k]!));
    return { entries: c.entries, approves };
  });
  return { rules, classes, inexact: projected.inexact };
}

/** Whether every rule of one side approves the class (`approves`: that class's answers). */
export function allApprove(rules: readonly number[], approves: readonly boolean[]): boolean {
  for (const r of rules) if (!approves[r]) return false;
  return true;
}
