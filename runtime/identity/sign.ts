/**
 * Signed approvals. The server signs, with the keyserver's Ed25519 key, a message that binds the
 * answer to the exact request bytes the client sent:
 *
 *   kss-decision-v1\n<keyserver_id>\n<decision_id>\n<sha-256 hex of the request body>\n
 *   <approved true|false>\n<rule_set or null>\n<rule ids joined by ,>
 *
 * A client verifies with the public key from `GET /v1/status` (`verifyDecision`), knowing the body
 * it sent, so an answer cannot be replayed for another request or forged by a proxy.
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { publicKeyObject } from './keys.js';

export interface SignedFields {
  keyserverId: string;
  decisionId: string;
  requestSha256: string;
  approved: boolean;
  ruleSet: number | null;
  ruleIds: string[];
}

export function decisionMessage(f: SignedFields): Buffer {
  return Buffer.from(
    ['kss-decision-v1', f.keyserverId, f.decisionId, f.requestSha256, String(f.approved), String(f.ruleSet), f.ruleIds.join(',')].join('\n'),
  );
}

export function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

export function signDecision(key: KeyObject, f: SignedFields): string {
  return sign(null, decisionMessage(f), key).toString('base64');
}

export function verifyDecision(publicKeyB64: string, f: SignedFields, signatureB64: string): boolean {
  try {
    return verify(null, decisionMessage(f), publicKeyObject(publicKeyB64), Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
