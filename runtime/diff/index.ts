/**
 * `kss diff`'s analysis (issue 13): what two compiled policies decide differently, per request
 * type, in the policy's own terms, each change with witness requests that the evaluator itself
 * decides differently (checked here, before anything is reported), the questions it cannot decide
 * ("may change", with why), and which quota counters a switch keeps, resets or starts fresh.
 */
import type { CompiledArtifact } from '../../compiler/emit/artifact.js';
import { DEFAULT_APPROVED, REQUEST_TYPES, type RequestType, type RequestTypeIR } from '../../compiler/ir/types.js';
import { loadProgram, MemoryQuota, type DecisionProgram } from '../evaluator/index.js';
import type { KssRequest } from '../evaluator/types.js';
import { limitOf, splitCounters } from '../quota/rule.js';
import { formatInstant, type Instant, type Zone } from '../time/index.js';
import { compareSpace, type Cell, type Outcome, type OutcomeGroup } from './compare.js';
import { buildSpace, meaningOf, type Space } from './space.js';
import { describeStretches } from './times.js';

export type { Outcome } from './compare.js';

export interface Witness {
  request: KssRequest;
  at: string;
  old: Outcome;
  new: Outcome;
}

export interface Change {
  request_type: RequestType;
  description: string;
  old: Outcome;
  new: Outcome;
  where: { profiles: string[]; times: string[]; auth_meta: string[] };
  witnesses: Witness[];
}

export interface MayChange {
  request_type: RequestType;
  reason: string;
}

export interface DiffReport {
  changes: Change[];
  may_change: MayChange[];
  /** Throttle counters on switching from the old policy to the new one (runtime/quota's rule). */
  counters: { kept: string[]; reset: string[]; fresh: string[] };
}

export interface DiffOptions {
  zone: Zone;
  /** Representatives of weekdays are taken from the year after this moment. */
  from: Instant;
}

/** Descriptions listed per side of a change; the rest is counted. */
const LISTED = 6;

export function diffPolicies(oldArtifact: CompiledArtifact, newArtifact: CompiledArtifact, opts: DiffOptions): DiffReport {
  const programs = { old: loadProgram(oldArtifact), new: loadProgram(newArtifact) };
  const changes: Change[] = [];
  const may: MayChange[] = [];
  for (const type of REQUEST_TYPES) {
    const o = typeOf(oldArtifact, type);
    const n = typeOf(newArtifact, type);
    if ((o === undefined) === (n === undefined) && meaningOf(o?.ruleSets ?? []) === meaningOf(n?.ruleSets ?? [])) continue;
    const space = buildSpace(o?.ruleSets ?? null, n?.ruleSets ?? null, opts.zone, opts.from);
    const fallback: Outcome = { approved: DEFAULT_APPROVED.includes(type), rule_set: null };
    const metaText = metaDescriber(space);
    for (const group of compareSpace(space, { old: fallback, new: fallback })) {
      const witnesses = group.samples.map((c) => witnessOf(type, space, c)).filter(({ witness, at }) => confirmed(witness, at, programs, opts.zone)).map((w) => w.witness);
      if (witnesses.length === 0) may.push({ request_type: type, reason: `${describeOutcomes(group)}: found by the analysis but not confirmed by evaluation (please report this)` });
      else changes.push(changeOf(type, space, group, witnesses.slice(0, 3), metaText));
    }
    may.push(...undecided(type, space, o, n));
  }
  return { changes, may_change: may, counters: countersOf(oldArtifact, newArtifact, programs.new) };
}

function typeOf(a: CompiledArtifact, type: RequestType): RequestTypeIR | undefined {
  return a.ir.requestTypes.find((t) => t.type === type);
}

function witnessOf(type: RequestType, space: Space, cell: Cell): { witness: Witness; at: Instant } {
  const p = space.profiles.classes[cell.profile]!;
  const t = space.times[cell.time]!;
  const m = space.metas.classes[cell.meta]!;
  const request: KssRequest = {
    request_type: type,
    device_id: '0123456789abcdef',
    cryptographic_id: 'fedcba9876543210',
    profile: { profile_id: p.profileId, profile_words: p.words },
    ...(m.entries ? { auth_meta: m.entries.map((e) => ({ ...e })) } : {}),
  };
  const none = { approved: false, rule_set: null };
  return { witness: { request, at: formatInstant(t.at), old: none, new: none }, at: t.at };
}

/** Decides the witness with both real programs, fresh counters each; keeps it only when they differ. */
function confirmed(w: Witness, at: Instant, programs: { old: DecisionProgram; new: DecisionProgram }, zone: Zone): boolean {
  const decide = (p: DecisionProgram) => p.decide(w.request, { at, zone }, new MemoryQuota());
  const o = decide(programs.old);
  const n = decide(programs.new);
  w.old = { approved: o.approved, rule_set: o.rule_set };
  w.new = { approved: n.approved, rule_set: n.rule_set };
  return o.approved !== n.approved || o.rule_set !== n.rule_set;
}

function changeOf(type: RequestType, space: Space, g: OutcomeGroup, witnesses: Witness[], metaText: (i: number) => string): Change {
  const where = {
    profiles: g.profiles.size === space.profiles.classes.length ? ['any profile'] : listed([...g.profiles].flatMap((i) => space.profiles.classes[i]!.descriptions)),
    times: g.times.size === space.times.length ? ['at any time'] : listed(describeStretches([...g.times].flatMap((i) => space.times[i]!.stretches))),
    auth_meta: listed([...g.metas].map(metaText)),
  };
  const description = `${describeOutcomes(g)}, for ${where.profiles.join('; ')}, ${where.times.join('; ')}, with ${where.auth_meta.join('; ')}`;
  return { request_type: type, description, old: g.old, new: g.new, where, witnesses };
}

function listed(items: string[]): string[] {
  const unique = [...new Set(items)];
  return unique.length <= LISTED ? unique : [...unique.slice(0, LISTED), `${unique.length - LISTED} more`];
}

export function describeOutcome(o: Outcome): string {
  if (!o.approved) return 'denied';
  return o.rule_set === null ? 'approved by default' : `approved by rule set ${o.rule_set}`;
}

function describeOutcomes(g: { old: Outcome; new: Outcome }): string {
  return `${describeOutcome(g.old)} before, ${describeOutcome(g.new)} after`;
}

/**
 * The description of each auth_meta class, made once per class: many changes share a class (a
 * rule set inserted at the top renumbers every later one, one change per pair of rule sets),
 * and each description reads every meta-rule.
 */
function metaDescriber(space: Space): (i: number) => string {
  const known = new Map<number, string>();
  return (i) => {
    let text = known.get(i);
    if (text === undefined) known.set(i, (text = describeMeta(space, i)));
    return text;
  };
}

function describeMeta(space: Space, i: number): string {
  const c = space.metas.classes[i]!;
  if (c.entries === null) return 'no usable auth_meta';
  const judged = space.metas.rules.map((r, k) => (c.approves[k] ? r.patterns.map((p) => `\`${p.source}\``).join(' ') : null)).filter((s) => s !== null);
  const like = c.entries.map((e) => `\`${e.meta}\`${e.complete ? '' : ' (incomplete)'}`).join(' + ');
  return judged.length > 0 ? `auth_meta like ${like} (approved by ${listed(judged).join(', ')})` : `auth_meta like ${like} (approved by no meta-rule)`;
}

/** The questions this analysis cannot settle for `type`, each with why. */
function undecided(type: RequestType, space: Space, o: RequestTypeIR | undefined, n: RequestTypeIR | undefined): MayChange[] {
  const out: MayChange[] = [...space.profiles.inexact, ...space.metas.inexact].map((why) => ({ request_type: type, reason: `${why}; decisions outside what was analysed may change` }));
  const throttles = [o, n].flatMap((t) => t?.ruleSets.flatMap((rs) => rs.rules.filter((r) => r.kind === 'per-profile-throttle-rule' && (limitOf(r.perHour) !== null || limitOf(r.perDay) !== null)).map((r) => r.ruleId)) ?? []);
  if (throttles.length > 0) {
    out.push({
      request_type: type,
      reason: `throttle state: the witnesses assume counters at zero; once throttles (${listed([...new Set(throttles)]).join(', ')}) reach their limits, requests fall through to later rule sets, which differ between the policies`,
    });
  }
  return out;
}

function countersOf(oldArtifact: CompiledArtifact, newArtifact: CompiledArtifact, newProgram: DecisionProgram): DiffReport['counters'] {
  const throttleIds = (a: CompiledArtifact) => a.ir.requestTypes.flatMap((t) => t.ruleSets.flatMap((rs) => rs.rules.filter((r) => r.kind === 'per-profile-throttle-rule').map((r) => r.ruleId)));
  const before = throttleIds(oldArtifact);
  const { carried, reset } = splitCounters(before, newProgram.ruleIds);
  const fresh = splitCounters(throttleIds(newArtifact), before).reset;
  return { kept: carried, reset, fresh };
}
