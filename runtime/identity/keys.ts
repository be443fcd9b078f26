/** The keyserver's Ed25519 key pair and the id derived from its public key. */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { KeyserverIdentity, SigningIdentity } from '../store/types.js';
import { ed25519PublicKey, rawEd25519 } from '../../protocol/ed25519.js';

/** `ks_` + the first 32 hex chars of sha-256(raw public key): same key, same id, everywhere. */
export function keyserverIdFor(publicKeyRaw: Buffer): string {
  return `ks_${createHash('sha256').update(publicKeyRaw).digest('hex').slice(0, 32)}`;
}

export function generateIdentity(now = new Date()): SigningIdentity {
  const { privateKey } = generateKeyPairSync('ed25519');
  return identityFromPrivateKey(privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'), now.toISOString());
}

/** Rebuilds the identity (same id) from the PKCS#8 private key, e.g. when restoring a backup. */
export function identityFromPrivateKey(privateKeyPkcs8B64: string, createdAt: string): SigningIdentity {
  const priv = createPrivateKey({ key: Buffer.from(privateKeyPkcs8B64, 'base64'), format: 'der', type: 'pkcs8' });
  if (priv.asymmetricKeyType !== 'ed25519') throw new Error('the key is not an Ed25519 key');
  const raw = rawEd25519(createPublicKey(priv));
  return { id: keyserverIdFor(raw), publicKey: raw.toString('base64'), privateKey: privateKeyPkcs8B64, createdAt };
}

export function privateKeyObject(identity: KeyserverIdentity): KeyObject {
  // Cluster instances that have not joined hold no private key; app.ts refuses before this.
  if (identity.privateKey === undefined) throw new Error(`no private key for keyserver ${identity.id} on this instance`);
  return createPrivateKey({ key: Buffer.from(identity.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
}

/** A KeyObject for a raw 32-byte Ed25519 public key (as published by /v1/status), base64. */
export function publicKeyObject(rawB64: string): KeyObject {
  return ed25519PublicKey(rawB64);
}
