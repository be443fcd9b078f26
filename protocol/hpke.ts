/**
 * HPKE (RFC 9180) base mode, DHKEM(X25519, HKDF-SHA256) + HKDF-SHA256 + AES-256-GCM, from the
 * `@hpke/core` library (over WebCrypto/node:crypto; nothing hand-rolled). A sealed value is the
 * encapsulated key and the ciphertext, both base64 on the wire.
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';

export const HPKE_SUITE_NAME = 'hpke-base-x25519-hkdf-sha256-aes-256-gcm';

export interface Sealed {
  enc: string;
  ct: string;
}

const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });

function buf(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export async function sealTo(recipientPublicRaw: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<Sealed> {
  const recipientPublicKey = await suite.kem.deserializePublicKey(buf(recipientPublicRaw));
  const { enc, ct } = await suite.seal({ recipientPublicKey }, buf(plaintext), buf(aad));
  return { enc: Buffer.from(enc).toString('base64'), ct: Buffer.from(ct).toString('base64') };
}

/** Throws when the key, the associated data or the sealed bytes do not match. */
export async function openWith(recipientPrivateRaw: Uint8Array, sealed: Sealed, aad: Uint8Array): Promise<Uint8Array> {
  const recipientKey = await suite.kem.deserializePrivateKey(buf(recipientPrivateRaw));
  const pt = await suite.open({ recipientKey, enc: buf(Buffer.from(sealed.enc, 'base64')) }, buf(Buffer.from(sealed.ct, 'base64')), buf(aad));
  return new Uint8Array(pt);
}

export interface RawKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

async function raw(kp: Awaited<ReturnType<typeof suite.kem.generateKeyPair>>): Promise<RawKeyPair> {
  return {
    publicKey: new Uint8Array(await suite.kem.serializePublicKey(kp.publicKey)),
    privateKey: new Uint8Array(await suite.kem.serializePrivateKey(kp.privateKey)),
  };
}

export async function generateEncryptionKeyPair(): Promise<RawKeyPair> {
  return raw(await suite.kem.generateKeyPair());
}

/** RFC 9180 DeriveKeyPair: the same input keying material gives the same key pair. */
export async function deriveEncryptionKeyPair(ikm: Uint8Array): Promise<RawKeyPair> {
  return raw(await suite.kem.deriveKeyPair(buf(ikm)));
}

export function isSealed(v: unknown): v is Sealed {
  const s = v as Sealed;
  return typeof s === 'object' && s !== null && typeof s.enc === 'string' && typeof s.ct === 'string' && s.enc.length <= 64 && s.ct.length <= 256;
}
