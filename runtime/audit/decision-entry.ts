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
import { canonicalJson } from '../json/canonical.js';
import { jsonString } from '../json/string.js';

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
 * Every key a server's decision entry may hold (decisionEntryData, the runtime's `reasons` and
 * `shadow`), in canonical (code unit) order, each with its spelled `"key":`.
 */
const ENTRY_KEYS = [...REQUEST_FIELDS, 'decision_id', 'token_id', 'request_sha256', 'policy_version', 'policy_sha256', 'approved', 'rule_set', 'rule_ids',
  'profile_id', 'profile_words', 'reasons', 'shadow'].sort().map((k) => [k, `${JSON.stringify(k)}:`] as const);

/**
 * canonicalJson(data), written straight from the decision entry's known keys (issue 15: the
 * generic walk sorted and quoted the same keys for every decision). Data with any other key (a
 * custody entry's extras) takes the generic way; so does any value that is not a string, number,
 * boolean or an auth_meta item of exactly `meta` and `complete`. `data` is a plain object (own
 * enumerable keys, as the runtime spreads it). test/audit/decision-entry.test.ts checks it against
 * canonicalJson on generated entries, other keys and values included.
 */
export function decisionEntryJson(data: Record<string, unknown>): string {
  let out = '{';
  let known = 0;
  for (const [key, spelled] of ENTRY_KEYS) {
    if (!(key in data)) continue;
    known++;
    const v = data[key];
    if (v === undefined) continue;
    out += (out.length === 1 ? '' : ',') + spelled + (key === 'auth_meta' ? metasJson(v) : valueJson(v));
  }
  return known === Object.keys(data).length ? `${out}}` : canonicalJson(data);
}

function valueJson(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'number':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return canonicalJson(v);
  }
}

/** `auth_meta` as the schema shapes it, `{"complete":..,"meta":..}` per item; anything else generically. */
function metasJson(v: unknown): string {
  if (!Array.isArray(v)) return canonicalJson(v);
  let out = '[';
  for (let i = 0; i < v.length; i++) {
    if (i > 0) out += ',';
    // A hole stays empty, as canonicalJson leaves it.
    if (!(i in v)) continue;
    const item: unknown = v[i];
    out += isMetaItem(item) ? `{"complete":${item.complete ? 'true' : 'false'},"meta":${jsonString(item.meta)}}` : canonicalJson(item);
  }
  return `${out}]`;
}

function isMetaItem(item: unknown): item is { meta: string; complete: boolean } {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  const keys = Object.keys(item);
  if (keys.length !== 2 || !(keys[0] === 'meta' ? keys[1] === 'complete' : keys[0] === 'complete' && keys[1] === 'meta')) return false;
  const { meta, complete } = item as Record<string, unknown>;
  return typeof meta === 'string' && typeof complete === 'boolean';
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
