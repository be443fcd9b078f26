/**
 * The file key as Shamir shares (the audited `shamir-secret-sharing` library), each sealed with
 * HPKE to its holder under the file's associated data (protocol/messages.ts `shardAad`).
 */
import { combine, split } from 'shamir-secret-sharing';
import { openWith, sealTo } from '../protocol/hpke.js';
import { shardAad, type ShardBinding } from '../protocol/messages.js';
import type { Share } from './file-format.js';

export interface Holder {
  holder: Share['holder'];
  id: string;
  /** Raw X25519 public key, base64. */
  encryptionKey: string;
}

/** Splits `key` into one share per holder, any `threshold` of which rebuild it. */
export async function splitAndSeal(key: Uint8Array, holders: Holder[], threshold: number, binding: ShardBinding): Promise<Share[]> {
  // The library checks for a plain Uint8Array (a Buffer is refused).
  const parts = await split(new Uint8Array(key), holders.length, threshold);
  const aad = shardAad(binding);
  return Promise.all(holders.map(async (h, i) => ({ holder: h.holder, id: h.id, sealed: await sealTo(Buffer.from(h.encryptionKey, 'base64'), parts[i]!, aad) })));
}

export async function openShare(share: Share, privateKeyB64: string, binding: ShardBinding): Promise<Uint8Array> {
  return openWith(Buffer.from(privateKeyB64, 'base64'), share.sealed, shardAad(binding));
}

export function combineShares(parts: Uint8Array[]): Promise<Uint8Array> {
  return combine(parts.map((p) => new Uint8Array(p)));
}
