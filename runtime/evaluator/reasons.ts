/**
 * Why a request was denied, from the decision's trace (the one `kss explain` prints): per rule set
 * looked at, the rule that stopped it, with a stable code. The codes are an interface (the server
 * may hand them to clients with `--client-reasons`); the words beside them are for people.
 */
import type { DecisionProgram } from './index.js';
import { withoutReports } from './matcher/index.js';
import type { Decision, EvalContext, KssRequest, QuotaStore } from './types.js';

export const DENIAL_CODES = {
  'path-not-matched': 'a meta-rule: some entry of auth_meta is not allowed by its patterns',
  'meta-undecidable': 'a meta-rule: auth_meta is missing, empty or malformed',
  'outside-hours': 'a time-range-rule: the moment is outside its days, dates or times',
  'profile-not-listed': 'a profile-id-rule: the profile is not listed',
  'throttle-at-limit': 'a per-profile-throttle-rule: the profile used its quota for the hour or the day',
  'no-profile-id': 'a per-profile-throttle-rule: the request has no profile id to count',
  'reject-rule': 'a reject-rule, which never approves',
  'no-rule-set': 'the policy has no rule set for this request type',
} as const;

export type DenialCode = keyof typeof DENIAL_CODES;

export interface DenialReason {
  rule_set: number | null;
  rule_id: string | null;
  kind: string | null;
  code: DenialCode;
  reason: string;
}

/** The reasons of a traced denial, one per rule set in order (empty for an approval). */
export function denialReasons(d: Decision): DenialReason[] {
  if (d.approved) return [];
  const trace = d.trace ?? [];
  if (trace.length === 0) return [{ rule_set: null, rule_id: null, kind: null, code: 'no-rule-set', reason: 'the policy has no rule set for this request type' }];
  const out: DenialReason[] = [];
  for (const set of trace) {
    const stop = set.rules.find((r) => !r.approved && r.code !== undefined);
    if (!stop?.code) continue;
    out.push({ rule_set: set.ruleSet, rule_id: stop.ruleId, kind: stop.kind, code: stop.code, reason: stop.reason });
  }
  return out;
}

/**
 * The reasons of a denial the server answered without a trace (the fast engine), found again with
 * the traced interpreter at the same moment. A denial means every rule set whose stateless rules
 * approved was refused its quota, so a quota store that refuses everything and records nothing
 * reproduces it exactly, without touching the counters (a second real attempt could record uses).
 * Patterns past their step budget were logged and counted by the decision itself, not again here.
 */
export function explainDenial(program: DecisionProgram, req: KssRequest, ctx: EvalContext): DenialReason[] {
  return denialReasons(withoutReports(() => program.decide(req, ctx, REFUSING, { trace: true })));
}

const REFUSING: QuotaStore = { tryConsume: () => false };

/** The codes only, for a client's answer (`kss serve --client-reasons`): no rule ids, no words. */
export function reasonCodes(reasons: DenialReason[]): DenialCode[] {
  return reasons.map((r) => r.code);
}
