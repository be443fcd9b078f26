/** API tokens: `kss_<id>_<secret>`; only the sha-256 of the whole text is stored. */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../identity/sign.js';
import type { KssStore, TokenRecord, TokenRole } from '../store/types.js';

export function hashToken(token: string): string {
  return sha256Hex(token);
}

export function newTokenText(): { id: string; token: string } {
  const id = randomBytes(4).toString('hex');
  return { id, token: `kss_${id}_${randomBytes(24).toString('base64url')}` };
}

export async function createToken(store: KssStore, role: TokenRole, label: string, actor: string): Promise<{ token: string; record: TokenRecord }> {
  const { id, token } = newTokenText();
  const record: TokenRecord = { id, hash: hashToken(token), role, label, createdAt: new Date().toISOString(), revokedAt: null };
  await store.createToken(record);
  await store.appendAudit([{ at: record.createdAt, kind: 'token.create', actor, data: { token_id: id, role, label } }]);
  return { token, record };
}

export async function revokeToken(store: KssStore, id: string, actor: string): Promise<boolean> {
  const at = new Date().toISOString();
  const ok = await store.revokeToken(id, at);
  if (ok) await store.appendAudit([{ at, kind: 'token.revoke', actor, data: { token_id: id } }]);
  return ok;
}
