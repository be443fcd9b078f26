/**
 * What a decision's audit entry records, and the request rebuilt from it. An investigator needs
 * who asked (token, device, cryptographic id, profile), for what (request type, metas), and what
 * answered (approved, rule set, rule ids, policy version): the same fields a later dry run of
 * another policy replays (`requestFromEntry`). Fields are recorded as the request gave them,
 * malformed ones included, since the evaluator decided on exactly those; only the profile id is
 * lower-cased (SPEC 6: it compares in lower case everywhere, so searches need one spelling).
 */
import { profileIdOf } from '../evaluator/request.js';
import type { Decision, KssRequest } from '../evaluator/types.js';

export interface DecisionContext {
  decisionId: string;
  requestSha256: string;
  tokenId: string;
  policyVersion: number | null;
  policySha256: string | null;
}

/** The request fields kept, besides the profile (SPEC 6). */
const REQUEST_FIELDS = ['request_type', 'device_id', 'cryptographic_id', 'auth_meta', 'nonce'] as const;

export function decisionEntryData(req: KssRequest, decision: Decision, ctx: DecisionContext): Record<string, unknown> {
  const data: Record<string, unknown> = {
    decision_id: ctx.decisionId, token_id: ctx.tokenId, request_sha256: ctx.requestSha256,
    policy_version: ctx.policyVersion, policy_sha256: ctx.policySha256,
    approved: decision.approved, rule_set: decision.rule_set, rule_ids: decision.rule_ids,
    profile_id: profileIdOf(req),
  };
  for (const f of REQUEST_FIELDS) if (req[f] !== undefined) data[f] = req[f];
  const profile = req.profile as Record<string, unknown> | undefined;
  if (profile && typeof profile === 'object' && profile.profile_words !== undefined) data.profile_words = profile.profile_words;
  return data;
}

/**
 * Whether the entry was written by `decisionEntryData`, so `requestFromEntry` gives the request
 * back. Older decision entries kept only the request type and profile id: a replay of them would
 * decide without the metas, device and cryptographic ids, i.e. on a request nobody sent. Every
 * fuller entry has a token id (the older ones kept it only in the actor).
 */
export function hasRequestFields(data: Record<string, unknown>): boolean {
  return typeof data.token_id === 'string';
}

/** The SPEC 6 request a decision entry describes (profile id lower-cased), for a replay. */
export function requestFromEntry(data: Record<string, unknown>): KssRequest {
  const req: Record<string, unknown> = { request_type: data.request_type };
  for (const f of REQUEST_FIELDS) if (data[f] !== undefined) req[f] = data[f];
  const profile: Record<string, unknown> = {};
  if (data.profile_id !== null && data.profile_id !== undefined) profile.profile_id = data.profile_id;
  if (data.profile_words !== undefined) profile.profile_words = data.profile_words;
  if (Object.keys(profile).length > 0) req.profile = profile;
  return req as KssRequest;
}
