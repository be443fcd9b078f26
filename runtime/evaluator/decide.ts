/**
 * The one decision procedure both engines share (SPEC §2, DESIGN "Quota is a transaction"): an engine
 * only supplies, in order, the rule sets whose stateless rules all approve ("candidates"); for each
 * candidate the throttles are checked and recorded in one atomic `tryConsume`, and the first candidate
 * that gets its uses decides. decide and decideAsync differ only in awaiting the store.
 */
import type { AsyncQuotaStore, Decision, QuotaStore, QuotaWindow, RuleSetTrace, ThrottleUse } from './types.js';
import type { DecisionInput } from './input.js';

export interface ThrottleSpec {
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
    const ok = quota.tryConsume(usesOf(c, cursor), windowOf(cursor));
    noteQuota(cursor, c, ok);
    if (ok) return approve(c, cursor);
  }
  return deny(cursor);
}

export async function decideAsync(start: Start, quota: AsyncQuotaStore): Promise<Decision> {
  if ('decided' in start) return start.decided;
  const cursor = start.cursor;
  for (let c = cursor.next(); c !== null; c = cursor.next()) {
    if (c.throttles.length === 0) return approve(c, cursor);
    const ok = await quota.tryConsume(usesOf(c, cursor), windowOf(cursor));
    noteQuota(cursor, c, ok);
    if (ok) return approve(c, cursor);
  }
  return deny(cursor);
}

/** Engines only offer a candidate with throttles when the request has a profile id. */
function usesOf(c: Candidate, cursor: CandidateCursor): ThrottleUse[] {
  const profileId = cursor.input.profileId()!;
  const uses: ThrottleUse[] = new Array(c.throttles.length);
  for (let i = 0; i < c.throttles.length; i++) {
    const t = c.throttles[i]!;
    uses[i] = { ruleId: t.ruleId, profileId, perHour: t.perHour, perDay: t.perDay, persistent: t.persistent };
  }
  return uses;
}

function noteQuota(cursor: CandidateCursor, c: Candidate, ok: boolean): void {
  const last = cursor.trace?.[cursor.trace.length - 1];
  if (!last) return;
  last.approved = ok;
  for (const t of c.throttles) {
    const limits = [t.perHour !== null ? `per_hour ${t.perHour}` : '', t.perDay !== null ? `per_day ${t.perDay}` : '']
      .filter(Boolean).join(', ') || 'no limit';
    last.rules.push({
      ruleId: t.ruleId,
      kind: 'per-profile-throttle-rule',
      approved: ok,
      reason: ok
        ? `below its quota (${limits}); one use recorded`
        : `the rule set's throttles are not all below their quota (${limits}); nothing recorded`,
    });
  }
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

function windowOf(cursor: CandidateCursor): QuotaWindow {
  const m = cursor.input.moment();
  return { hour: m.hour, day: m.day };
}
