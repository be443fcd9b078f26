/** Ed25519 signatures (node:crypto) over raw 32-byte public keys, as every kss message carries them. */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const SPKI_HEADER = Buffer.from('302a300506032b6570032100', 'hex');

export function ed25519PublicKey(rawB64: string): KeyObject {
  const raw = Buffer.from(rawB64, 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key has 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_HEADER, raw]), format: 'der', type: 'spki' });
}

/** The raw 32-byte public key of an Ed25519 KeyObject (its SPKI DER ends with it). */
export function rawEd25519(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(-32);
}

export function signEd25519(key: KeyObject, message: Uint8Array): string {
  return sign(null, message, key).toString('base64');
}

/** false (never a throw) for a bad key, a bad signature or a malformed one. */
export function verifyEd25519(publicRawB64: string, message: Uint8Array, signatureB64: string): boolean {
  try {
    return verify(null, message, ed25519PublicKey(publicRawB64), Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
