/**
 * The keyserver's encryption key pair (X25519, for HPKE), derived from its Ed25519 signing key:
 * HKDF-SHA256 over the signing key's 32-byte seed with a label of its own, then RFC 9180
 * DeriveKeyPair. One secret therefore carries both keys: every backup key, every cluster
 * instance's signing-key.json and every store made before custody existed already hold the
 * encryption key, with no migration and no second secret to lose or leak. The label keeps the two
 * uses apart (the X25519 key reveals nothing about the signing key and vice versa).
 */
import { createPrivateKey, hkdfSync } from 'node:crypto';
import { deriveEncryptionKeyPair, openWith, type Sealed } from '../../protocol/hpke.js';
import type { KeyserverIdentity } from '../store/types.js';

const LABEL = 'kss-keyserver-encryption-key-v1';

export interface KeyserverEncryptionKey {
  keyserverId: string;
  /** Raw 32-byte X25519 public key, base64 (published by /v1/status and pinned by clients). */
  publicKey: string;
  /** Opens a shard sealed to this keyserver; throws when it was not sealed to it under `aad`. */
  open(sealed: Sealed, aad: Uint8Array): Promise<Uint8Array>;
}

const cache = new Map<string, Promise<KeyserverEncryptionKey>>();

export function encryptionKeyFor(identity: KeyserverIdentity): Promise<KeyserverEncryptionKey> {
  if (identity.privateKey === undefined) return Promise.reject(new Error(`no private key for keyserver ${identity.id} on this instance`));
  const cacheKey = `${identity.id}:${identity.privateKey}`;
  let found = cache.get(cacheKey);
  if (!found) {
    found = derive(identity.id, identity.privateKey);
    cache.set(cacheKey, found);
  }
  return found;
}

async function derive(keyserverId: string, privateKeyPkcs8B64: string): Promise<KeyserverEncryptionKey> {
  const priv = createPrivateKey({ key: Buffer.from(privateKeyPkcs8B64, 'base64'), format: 'der', type: 'pkcs8' });
  const seed = Buffer.from(priv.export({ format: 'jwk' }).d!, 'base64url');
  const ikm = new Uint8Array(hkdfSync('sha256', seed, Buffer.alloc(0), LABEL, 32));
  const pair = await deriveEncryptionKeyPair(ikm);
  return {
    keyserverId,
    publicKey: Buffer.from(pair.publicKey).toString('base64'),
    open: (sealed, aad) => openWith(pair.privateKey, sealed, aad),
  };
}
