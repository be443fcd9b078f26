/**
 * What is bound and signed in key custody. Every message starts with its own label, so a
 * signature or associated data made for one purpose can never be taken for another. JSON arrays
 * (not joined strings) keep fields unambiguous whatever characters a meta holds.
 */
import { createHash } from 'node:crypto';

/** The header a device signs its request body under (base64 Ed25519 signature). */
export const DEVICE_SIGNATURE_HEADER = 'kss-device-signature';

export interface ShardBinding {
  keyserverId: string;
  profileId: string;
  /** The file's cryptographic id (random, hex). */
  fileId: string;
  meta: string;
}

/** Associated data of a shard sealed in a file header: which keyserver, profile, file and path. */
export function shardAad(b: ShardBinding): Buffer {
  return Buffer.from(JSON.stringify(['kss-shard-v1', b.keyserverId, b.profileId.toLowerCase(), b.fileId.toLowerCase(), b.meta]));
}

/**
 * Associated data of a device's share in a version 2 file header: the file's binding and the
 * device it is sealed to, so a share cannot be presented as another device's.
 */
export function deviceShardAad(b: ShardBinding, deviceId: string): Buffer {
  return Buffer.from(JSON.stringify(['kss-shard-v2', b.keyserverId, b.profileId.toLowerCase(), b.fileId.toLowerCase(), b.meta, deviceId.toLowerCase()]));
}

/** Associated data of the shard the keyserver re-seals to the device: also the decision that released it. */
export function releaseAad(b: ShardBinding, decisionId: string): Buffer {
  return Buffer.from(JSON.stringify(['kss-shard-release-v1', b.keyserverId, b.profileId.toLowerCase(), b.fileId.toLowerCase(), b.meta, decisionId]));
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A device signs the exact body bytes it sends (so the keyserver knows the request is the device's). */
export function deviceRequestMessage(body: Uint8Array): Buffer {
  return Buffer.from(`kss-device-request-v1\n${sha256Hex(body)}`);
}

/** A profile's or a device's name, as lists and the client show it: printable ASCII, one line, bounded. */
export const NAME_PATTERN = /^[\x21-\x7e][\x20-\x7e]{0,127}$/;

export interface CertificateBody {
  keyserver_id: string;
  profile_id: string;
  name: string;
  device_id: string;
  /** Raw Ed25519 public key, base64. */
  device_signing_key: string;
  /** Raw X25519 public key, base64. */
  device_encryption_key: string;
  issued_at: string;
}

export interface ProfileCertificate {
  body: CertificateBody;
  /** The keyserver's Ed25519 signature over `certificateMessage(body)`, base64. */
  signature: string;
}

const CERT_FIELDS = ['keyserver_id', 'profile_id', 'name', 'device_id', 'device_signing_key', 'device_encryption_key', 'issued_at'] as const;

export function certificateMessage(b: CertificateBody): Buffer {
  return Buffer.from(JSON.stringify(['kss-profile-cert-v1', ...CERT_FIELDS.map((f) => b[f])]));
}

export function isCertificate(v: unknown): v is ProfileCertificate {
  const c = v as ProfileCertificate;
  if (typeof c !== 'object' || c === null || typeof c.signature !== 'string' || typeof c.body !== 'object' || c.body === null) return false;
  return CERT_FIELDS.every((f) => typeof c.body[f] === 'string' && c.body[f].length <= 256);
}

export interface ReleaseFields {
  keyserverId: string;
  decisionId: string;
  requestSha256: string;
  approved: boolean;
  releasedAt: string;
  /** sha-256 hex of `enc` + `.` + `ct` of the re-sealed shard; `-` when nothing was released. */
  shardSha256: string;
}

/** What the keyserver signs in a shard answer, approved or not. */
export function releaseMessage(f: ReleaseFields): Buffer {
  return Buffer.from(JSON.stringify(['kss-shard-answer-v1', f.keyserverId, f.decisionId, f.requestSha256, f.approved, f.releasedAt, f.shardSha256]));
}

export function sealedSha256(s: { enc: string; ct: string } | null): string {
  return s ? sha256Hex(`${s.enc}.${s.ct}`) : '-';
}

/** A device id: the first 16 bytes of sha-256 of its raw signing key, hex (same key, same id). */
export function deviceIdFor(signingKeyRaw: Uint8Array): string {
  return sha256Hex(signingKeyRaw).slice(0, 32);
}

export interface DeviceProof {
  keyserverId: string;
  profileId: string;
  /** The new device's raw Ed25519 and X25519 public keys, base64. */
  signingKey: string;
  encryptionKey: string;
}

/**
 * What a device being added to a profile signs with its own new key: proof that whoever asks for
 * its certificate holds that signing key, for this profile at this keyserver only.
 */
export function deviceProofMessage(p: DeviceProof): Buffer {
  return Buffer.from(JSON.stringify(['kss-device-proof-v1', p.keyserverId, p.profileId.toLowerCase(), p.signingKey, p.encryptionKey]));
}
