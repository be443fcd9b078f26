/**
 * First-match over the classes: for every (profile, time, auth_meta) class, the rule set that
 * decides under each policy; classes whose outcome differs are collected per pair of outcomes.
 * Profiles first, then times, then auth_meta: a rule set left out at one level is never looked at
 * again below it, and classes that leave the same rule sets standing are handled once.
 */
import { allApprove, neededMetaSpace, type RuleSetShape, type Space } from './space.js';

export interface Outcome {
  approved: boolean;
  rule_set: number | null;
}

export interface Cell {
  profile: number;
  time: number;
  meta: number;
}

export interface OutcomeGroup {
  old: Outcome;
  new: Outcome;
  profiles: Set<number>;
  times: Set<number>;
  metas: Set<number>;
  /** How many classes differ (profile × time × auth_meta). */
  cells: number;
  /** A few cells to draw witnesses from. */
  samples: Cell[];
}

const SAMPLES = 6;

export function compareSpace(space: Space, fallback: { old: Outcome; new: Outcome }): OutcomeGroup[] {
  const groups = new Map<string, OutcomeGroup>();
  const record = (o: Outcome, n: Outcome, cell: Cell, times: number[], profiles: number[]) => {
    const key = `${o.rule_set}/${o.approved}|${n.rule_set}/${n.approved}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { old: o, new: n, profiles: new Set(), times: new Set(), metas: new Set(), cells: 0, samples: [] }));
    for (const p of profiles) g.profiles.add(p);
    for (const t of times) g.times.add(t);
    g.metas.add(cell.meta);
    g.cells += profiles.length * times.length;
    if (g.samples.length < SAMPLES) g.samples.push(cell);
  };
  const { profiles, times } = space;
  // First the (profile, time) classes where different rule sets stand on the two sides.
  const work: { standing: Standing; profiles: number[]; times: number[] }[] = [];
  const needed = new Set<number>();
  for (const [pKey, pClasses] of groupBy(profiles.classes.map((_, i) => i), (p) => standing(space, (rs) => rs.profile.every((r) => profiles.classes[p]!.approves.has(r))))) {
    for (const [tKey, tClasses] of groupBy(times.map((_, i) => i), (t) => narrow(pKey, (rs) => allApprove(rs.time, times[t]!.approves)))) {
      // The same rule sets standing on both sides decide every auth_meta alike (the usual case in a small edit).
      if (sameStanding(tKey, space.same)) continue;
      work.push({ standing: tKey, profiles: pClasses, times: tClasses });
      for (const rs of [...(tKey.old ?? []), ...(tKey.new ?? [])]) for (const m of rs.meta) needed.add(m);
    }
  }
  const metas = (space.metas = neededMetaSpace(space.metaRules, needed));
  for (const { standing: s, profiles: pClasses, times: tClasses } of work) {
    for (let m = 0; m < metas.classes.length; m++) {
      const approves = metas.classes[m]!.approves;
      const o = firstMatch(s.old, fallback.old, (rs) => allApprove(rs.meta, approves));
      const n = firstMatch(s.new, fallback.new, (rs) => allApprove(rs.meta, approves));
      if (o.approved !== n.approved || o.rule_set !== n.rule_set) record(o, n, { profile: pClasses[0]!, time: tClasses[0]!, meta: m }, tClasses, pClasses);
    }
  }
  return [...groups.values()];
}

interface Standing {
  old: RuleSetShape[] | null;
  new: RuleSetShape[] | null;
  key: string;
}

function standing(space: Space, keep: (rs: RuleSetShape) => boolean): Standing {
  return narrow({ old: space.old?.filter((rs) => !rs.never) ?? null, new: space.new?.filter((rs) => !rs.never) ?? null, key: '' }, keep);
}

function narrow(s: Standing, keep: (rs: RuleSetShape) => boolean): Standing {
  const old = s.old?.filter(keep) ?? null;
  const nw = s.new?.filter(keep) ?? null;
  const ids = (l: RuleSetShape[] | null) => (l === null ? '-' : l.map((rs) => rs.index).join(','));
  return { old, new: nw, key: `${ids(old)}|${ids(nw)}` };
}

function sameStanding(s: Standing, same: readonly boolean[]): boolean {
  if (s.old === null || s.new === null || s.old.length !== s.new.length) return false;
  for (let i = 0; i < s.old.length; i++) if (s.old[i]!.index !== s.new[i]!.index || !same[s.old[i]!.index]) return false;
  return true;
}

function groupBy(items: number[], standingOf: (i: number) => Standing): [Standing, number[]][] {
  const out = new Map<string, [Standing, number[]]>();
  for (const i of items) {
    const s = standingOf(i);
    const known = out.get(s.key);
    if (known) known[1].push(i);
    else out.set(s.key, [s, [i]]);
  }
  return [...out.values()];
}

/** SPEC 2: the first standing rule set that approves decides; none: denied; no entry: the default. */
function firstMatch(sets: RuleSetShape[] | null, fallback: Outcome, approves: (rs: RuleSetShape) => boolean): Outcome {
  if (sets === null) return fallback;
  for (const rs of sets) if (approves(rs)) return { approved: true, rule_set: rs.index };
  return { approved: false, rule_set: null };
}
