/**
 * Signed approvals. The server signs, with the keyserver's Ed25519 key, a message that binds the
 * answer to the exact request bytes the client sent, to when it was decided and under which
 * policy, and to the client's nonce. The message is a JSON array, so no field can bleed into the
 * next (`["a,b"]` and `["a","b"]` sign differently):
 *
 *   ["kss-decision-v2", keyserver_id, decision_id, request_sha256, decided_at, policy_version,
 *    policy_sha256, nonce or null, approved, rule_set or null, [rule ids]]
 *
 * A client verifies with the public key from `GET /v1/status` (`verifyDecision`), knowing the body
 * it sent and the nonce it chose, so an answer cannot be replayed for another request, replayed
 * later, or forged by a proxy.
 *
 * The server signs the messages of the answers ready at the same moment as one Merkle tree
 * (batch-sign.ts): an answer then carries `batch` (its path to the signed root) beside
 * `signature`, and verifyDecision takes it. Without `batch`, the signature is of the message itself.
 */
import { hash, sign, verify, type KeyObject } from 'node:crypto';
import { verifyBatch, type BatchPath } from './batch-sign.js';
import { publicKeyObject } from './keys.js';

export interface SignedFields {
  keyserverId: string;
  decisionId: string;
  requestSha256: string;
  /** ISO-8601 UTC, as answered in `decided_at`. */
  decidedAt: string;
  policyVersion: number;
  policySha256: string;
  nonce: string | null;
  approved: boolean;
  ruleSet: number | null;
  ruleIds: string[];
}

export const DECISION_TAG = 'kss-decision-v2';

export function decisionMessage(f: SignedFields): Buffer {
  return Buffer.from(decisionText(f));
}

/** The message as text (its UTF-8 bytes are the message): what the server hands to its BatchSigner. */
export function decisionText(f: SignedFields): string {
  return JSON.stringify([DECISION_TAG, f.keyserverId, f.decisionId, f.requestSha256, f.decidedAt, f.policyVersion, f.policySha256, f.nonce, f.approved, f.ruleSet, f.ruleIds]);
}

export function sha256Hex(body: Buffer | string): string {
  // One-shot: less than half the cost of createHash/update/digest for a request-sized input.
  return hash('sha256', body, 'hex');
}

export function signDecision(key: KeyObject, f: SignedFields): string {
  return sign(null, decisionMessage(f), key).toString('base64');
}

/** What the client expects of a fresh answer: its own nonce, and an answer decided recently. */
export interface Freshness {
  nonce?: string | null;
  /** Refuse an answer decided more than this long before `now` (or after it, for clock skew). */
  maxAgeMs?: number;
  now?: number;
}

/** What a client checks: freshness, and the answer's path to the signed root (`batch`, batch-sign.ts). */
export interface VerifyOptions extends Freshness {
  batch?: BatchPath;
}

export function verifyDecision(publicKeyB64: string, f: SignedFields, signatureB64: string, fresh: VerifyOptions = {}): boolean {
  const { batch } = fresh;
  if (fresh.nonce !== undefined && fresh.nonce !== f.nonce) return false;
  if (fresh.maxAgeMs !== undefined) {
    const at = Date.parse(f.decidedAt);
    if (Number.isNaN(at) || Math.abs((fresh.now ?? Date.now()) - at) > fresh.maxAgeMs) return false;
  }
  try {
    if (batch !== undefined) return verifyBatch(publicKeyObject(publicKeyB64), decisionMessage(f), signatureB64, batch);
    return verify(null, decisionMessage(f), publicKeyObject(publicKeyB64), Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

/** The answer of `POST /v1/requests` as JSON (the fields the signature covers). */
export interface DecisionAnswer {
  approved: boolean;
  rule_set: number | null;
  rule_ids: string[];
  decision_id: string;
  decided_at: string;
  policy_version: number;
  policy_sha256: string;
  nonce: string | null;
  signature: string;
  batch?: BatchPath;
}

/** The signed fields of an answer, for the exact body the client sent to `keyserverId`. */
export function answerFields(keyserverId: string, body: Buffer | string, a: DecisionAnswer): SignedFields {
  return {
    keyserverId, decisionId: a.decision_id, requestSha256: sha256Hex(body), decidedAt: a.decided_at, policyVersion: a.policy_version,
    policySha256: a.policy_sha256, nonce: a.nonce, approved: a.approved, ruleSet: a.rule_set, ruleIds: a.rule_ids,
  };
}
