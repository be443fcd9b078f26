/**
 * The one decision procedure both engines share (SPEC §2, DESIGN "Quota is a transaction"): an engine
 * only supplies, in order, the rule sets whose stateless rules all approve ("candidates"); for each
 * candidate the throttles are checked and recorded in one atomic `tryConsume`, and the first candidate
 * that gets its uses decides. decide and decideAsync differ only in awaiting the store.
 */
import { belowLimits, limitOf, windowOf } from '../quota/rule.js';
import type { CounterHint } from '../quota/types.js';
import type { AsyncQuotaStore, Decision, QuotaStore, QuotaWindow, RuleSetTrace, ThrottleUse } from './types.js';
import type { DecisionInput } from './input.js';

/** A throttle of a rule set; also the in-memory counter's hint for it (CounterHint), which each use carries. */
export interface ThrottleSpec extends CounterHint {
  ruleId: string;
  perHour: number | null;
  perDay: number | null;
  persistent: boolean;
}

export interface Candidate {
  ruleSet: number;
  ruleIds: string[];
  throttles: ThrottleSpec[];
}

/** Walks the candidates of one decision. `trace`, when present, receives the stateless part. */
export interface CandidateCursor {
  readonly input: DecisionInput;
  next(): Candidate | null;
  /** Traces of the rule sets looked at so far (only when tracing); the last one is `next()`'s candidate. */
  readonly trace: RuleSetTrace[] | null;
}

/** What an engine returns for a request: a final decision (defaults) or candidates to try. */
export type Start = { decided: Decision } | { cursor: CandidateCursor };

export function decideSync(start: Start, quota: QuotaStore): Decision {
  if ('decided' in start) return start.decided;
  const cursor = start.cursor;
  for (let c = cursor.next(); c !== null; c = cursor.next()) {
    if (c.throttles.length === 0) return approve(c, cursor);
    const uses = usesOf(c, cursor);
    const window = windowAt(cursor);
    // Counts before the attempt, for the trace only (stores that can tell them, like the in-memory one).
    const before = cursor.trace && isCounting(quota) ? uses.map((u) => quota.counts(u.ruleId, u.profileId, window)) : null;
    const ok = quota.tryConsume(uses, window);
    noteQuota(cursor, c, ok, before);
    if (ok) return approve(c, cursor);
  }
  return deny(cursor);
}

export async function decideAsync(start: Start, quota: AsyncQuotaStore): Promise<Decision> {
  if ('decided' in start) return start.decided;
  const cursor = start.cursor;
  for (let c = cursor.next(); c !== null; c = cursor.next()) {
    if (c.throttles.length === 0) return approve(c, cursor);
    const ok = await quota.tryConsume(usesOf(c, cursor), windowAt(cursor));
    noteQuota(cursor, c, ok);
    if (ok) return approve(c, cursor);
  }
  return deny(cursor);
}

/** A program's ThrottleSpec for a plan's throttle, with no counter hint yet (both engines build them so). */
export function throttleSpec(t: { ruleId: string; perHour: number | null; perDay: number | null; persistent: boolean }): ThrottleSpec {
  return { ruleId: t.ruleId, perHour: t.perHour, perDay: t.perDay, persistent: t.persistent, hintStore: null, hintCounter: null };
}

/** Engines only offer a candidate with throttles when the request has a profile id. */
function usesOf(c: Candidate, cursor: CandidateCursor): ThrottleUse[] {
  const profileId = cursor.input.profileId()!;
  const uses: ThrottleUse[] = new Array(c.throttles.length);
  for (let i = 0; i < c.throttles.length; i++) {
    const t = c.throttles[i]!;
    uses[i] = { ruleId: t.ruleId, profileId, perHour: limitOf(t.perHour), perDay: limitOf(t.perDay), persistent: t.persistent, hint: t };
  }
  return uses;
}

/** A quota store that can also say how much of a throttle is used (for traces). */
export interface CountingQuota {
  counts(ruleId: string, profileId: string, window: QuotaWindow): { hourCount: number; dayCount: number };
}

function isCounting(quota: object): quota is CountingQuota {
  return typeof (quota as Partial<CountingQuota>).counts === 'function';
}

type Counts = { hourCount: number; dayCount: number };

function noteQuota(cursor: CandidateCursor, c: Candidate, ok: boolean, before: Counts[] | null = null): void {
  const last = cursor.trace?.[cursor.trace.length - 1];
  if (!last) return;
  last.approved = ok;
  c.throttles.forEach((t, i) => {
    const limits = [limitOf(t.perHour) !== null ? `per_hour ${t.perHour}` : '', limitOf(t.perDay) !== null ? `per_day ${t.perDay}` : '']
      .filter(Boolean).join(', ') || 'no limit';
    const n = before?.[i];
    const full = n !== undefined && !belowLimits(n.hourCount, n.dayCount, t);
    let reason: string;
    if (n && full) {
      reason = !belowLimits(n.hourCount, 0, t) ? `hour count ${n.hourCount} reached per_hour ${t.perHour}` : `day count ${n.dayCount} reached per_day ${t.perDay}`;
      reason += '; nothing recorded';
    } else if (n) {
      reason = ok ? `hour count ${n.hourCount}, day count ${n.dayCount} (${limits}); one use recorded` : `below its quota (hour ${n.hourCount}, day ${n.dayCount}), but another throttle of the rule set is not; nothing recorded`;
    } else {
      reason = ok ? `below its quota (${limits}); one use recorded` : `the rule set's throttles are not all below their quota (${limits}); nothing recorded`;
    }
    // The code marks what stopped the set: a full throttle, or (from a store that cannot tell the
    // counts) every throttle of a refused set.
    const stopped = n ? full : !ok;
    last.rules.push({ ruleId: t.ruleId, kind: 'per-profile-throttle-rule', approved: ok && !full, reason, ...(stopped ? { code: 'throttle-at-limit' as const } : {}) });
  });
}

function approve(c: Candidate, cursor: CandidateCursor): Decision {
  const d: Decision = { approved: true, rule_set: c.ruleSet, rule_ids: c.ruleIds };
  if (cursor.trace) d.trace = cursor.trace;
  return d;
}

function deny(cursor: CandidateCursor): Decision {
  const d: Decision = { approved: false, rule_set: null, rule_ids: [] };
  if (cursor.trace) d.trace = cursor.trace;
  return d;
}

function windowAt(cursor: CandidateCursor): QuotaWindow {
  return windowOf(cursor.input.moment());
}
