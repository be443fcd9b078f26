/**
 * The body of a `POST /v1/requests` answer: `JSON.stringify(answer)`, written from the signed
 * decision's known fields (issue 15: `JSON.stringify` of the answer took 2-4 µs a decision on a
 * slow host, most of it scanning hashes for characters to escape). The values the runtime makes
 * itself, `decision_id` (a uuid), `request_sha256` (hex), `decided_at` (ISO 8601), `signature`
 * (base64) and the batch path (hex), cannot hold a character JSON escapes and are quoted as they
 * are; every other string goes through jsonString, the denial reasons through JSON.stringify.
 * A value of another type than SignedDecision says makes the whole answer go to JSON.stringify.
 * test/server/decision-json.test.ts checks the text against JSON.stringify.
 */
import { jsonString } from '../json/string.js';
import type { SignedDecision } from './runtime.js';

export function decisionJson(a: SignedDecision): string {
  const { batch } = a;
  if (typeof a.approved !== 'boolean' || !(a.rule_set === null || Number.isFinite(a.rule_set)) || !Number.isFinite(a.policy_version) ||
    !(a.nonce === null || typeof a.nonce === 'string') || !Array.isArray(a.rule_ids) || !Number.isFinite(batch.index) || !Number.isFinite(batch.size)) {
    return JSON.stringify(a);
  }
  let ruleIds = '[';
  for (let i = 0; i < a.rule_ids.length; i++) {
    const id = a.rule_ids[i];
    if (typeof id !== 'string') return JSON.stringify(a);
    ruleIds += i === 0 ? jsonString(id) : `,${jsonString(id)}`;
  }
  const path = batch.path.length === 0 ? '[]' : `["${batch.path.join('","')}"]`;
  let out = `{"approved":${a.approved},"rule_set":${a.rule_set},"rule_ids":${ruleIds}],"decision_id":"${a.decision_id}","request_sha256":"${a.request_sha256}",` +
    `"decided_at":"${a.decided_at}","policy_version":${a.policy_version},"policy_sha256":${jsonString(a.policy_sha256)},"nonce":${a.nonce === null ? 'null' : jsonString(a.nonce)},` +
    `"signature":"${a.signature}","batch":{"index":${batch.index},"size":${batch.size},"path":${path}}`;
  if (a.reasons !== undefined) out += `,"reasons":${JSON.stringify(a.reasons)}`;
  if (a.reason_codes !== undefined) out += `,"reason_codes":${JSON.stringify(a.reason_codes)}`;
  return `${out}}`;
}
