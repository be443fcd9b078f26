/**
 * `kss client decrypt IN -o OUT [--with-device-dir DIR ...]`: opens this device's share (and those
 * of other local devices when the file's threshold needs them), asks the keyserver for its share
 * (`POST /v1/shards`, device-signed, with a fresh nonce), verifies the signed answer against the
 * pinned key and the exact body sent (a replayed answer names another body), combines the shares
 * and decrypts. Nothing is written unless every chunk authenticates.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, openSync } from 'node:fs';
import { isSealed } from '../protocol/hpke.js';
import { releaseAad, releaseMessage, sealedSha256, sha256Hex, type ShardBinding } from '../protocol/messages.js';
import { verifyEd25519 } from '../protocol/ed25519.js';
import { openWith } from '../protocol/hpke.js';
import { ChunkError, decryptChunks } from './chunks.js';
import { readHeader, type FileHeader } from './file-format.js';
import { postSigned } from './http.js';
import { writeWhole } from './output.js';
import { ClientError, type Profile } from './profile-dir.js';
import { combineShares, openDeviceShare } from './shares.js';

export interface DecryptOptions {
  input: string;
  output: string;
  /** Overrides of what the profile stored at onboarding. */
  keyserver?: string;
  token?: string;
  /** Other devices of the profile on this machine (their profile directories), for a file whose threshold needs them. */
  withDevices?: Profile[];
}

function shareOf(header: FileHeader, holder: 'device' | 'keyserver', id: string) {
  const s = header.shares.find((x) => x.holder === holder && x.id === id);
  if (!s) throw new ClientError(holder === 'device' ? `this file holds no share for device \`${id}\` (it was encrypted by another profile, or before the device was added)` : `this file holds no share for keyserver \`${id}\``);
  return s;
}

/**
 * The shares of this device and of the other local devices given, opened, before anything is
 * asked of the keyserver: a file that needs more devices than are here fails without using quota.
 */
async function deviceShares(profile: Profile, others: Profile[], r: { header: FileHeader; version: number }, binding: ShardBinding): Promise<Uint8Array[]> {
  const need = r.header.threshold - 1;
  for (const d of others) if (d.profile_id !== profile.profile_id) throw new ClientError(`--with-device-dir: device \`${d.device.device_id}\` belongs to profile \`${d.profile_id}\`, not \`${profile.profile_id}\``);
  const devices = [...new Map([profile, ...others].map((d) => [d.device.device_id, d])).values()];
  if (devices.length < need) {
    throw new ClientError(`this file needs the keyserver and ${need} devices of the profile (threshold ${r.header.threshold}); ${devices.length === 1 ? 'only this one was' : `only ${devices.length} were`} given: add --with-device-dir DIR for ${need - devices.length} more`);
  }
  const parts: Uint8Array[] = [];
  for (const d of devices.slice(0, need)) {
    const share = shareOf(r.header, 'device', d.device.device_id);
    try {
      parts.push(await openDeviceShare(share, d.device.encryption_private_key, binding, r.version));
    } catch {
      throw new ClientError(`the share of device \`${d.device.device_id}\` does not open: the header was changed (file id, path or profile)`);
    }
  }
  return parts;
}

/** Asks for the keyserver's share; resolves with it opened, or throws (exit 3 when denied). */
async function keyserverShare(profile: Profile, header: FileHeader, binding: ShardBinding, o: DecryptOptions): Promise<Uint8Array> {
  const request = {
    request_type: 'decrypt', device_id: profile.device.device_id, cryptographic_id: header.file_id,
    profile: { profile_id: profile.profile_id, profile_words: profile.profile_words },
    auth_meta: [{ meta: header.meta, complete: true }], nonce: randomBytes(16).toString('hex'),
  };
  const body = JSON.stringify({ request, certificate: profile.certificate, sealed_shard: shareOf(header, 'keyserver', binding.keyserverId).sealed });
  const base = (o.keyserver ?? profile.keyserver.url).replace(/\/+$/, '');
  const { status, json } = await postSigned(base, '/v1/shards', o.token ?? profile.keyserver.token, body, profile.device.signing_private_key);
  if (status !== 200) throw new ClientError(`the keyserver refused the request: ${String(json.error ?? status)}`);
  const shard = json.shard === null ? null : isSealed(json.shard) ? json.shard : undefined;
  const signed = shard !== undefined && json.request_sha256 === sha256Hex(body) && typeof json.decision_id === 'string' && typeof json.released_at === 'string' &&
    verifyEd25519(profile.keyserver.public_key, releaseMessage({
      keyserverId: profile.keyserver.keyserver_id, decisionId: json.decision_id, requestSha256: sha256Hex(body),
      approved: json.approved === true, releasedAt: json.released_at, shardSha256: sealedSha256(shard ?? null),
    }), String(json.release_signature));
  if (!signed) throw new ClientError(`the answer is not signed by keyserver \`${profile.keyserver.keyserver_id}\` for this request (replayed, forged or from another keyserver)`);
  if (json.approved !== true || !shard) throw new ClientError(`denied: the keyserver's policy does not approve decrypting \`${header.meta}\` now (decision ${json.decision_id})`, 3);
  return openWith(Buffer.from(profile.device.encryption_private_key, 'base64'), shard, releaseAad(binding, String(json.decision_id)));
}

export async function decryptFile(profile: Profile, o: DecryptOptions): Promise<FileHeader> {
  const read = readHeader(o.input);
  const { header, prefixLength, prefixSha256 } = read;
  if (header.profile_id !== profile.profile_id) throw new ClientError(`this file belongs to profile \`${header.profile_id}\`, not to this profile (\`${profile.profile_id}\`)`);
  if (header.keyserver_id !== profile.keyserver.keyserver_id) throw new ClientError(`this file's keyserver is \`${header.keyserver_id}\`, not this profile's \`${profile.keyserver.keyserver_id}\``);
  const binding = { keyserverId: header.keyserver_id, profileId: header.profile_id, fileId: header.file_id, meta: header.meta };
  const mine = await deviceShares(profile, o.withDevices ?? [], read, binding);
  const theirs = await keyserverShare(profile, header, binding, o);
  const key = Buffer.from(await combineShares(theirs, mine, header.threshold));
  const inFd = openSync(o.input, 'r');
  try {
    await writeWhole(o.output, (outFd) => decryptChunks(key, prefixSha256, inFd, prefixLength, fstatSync(inFd).size, outFd, header.chunk_size));
  } catch (e) {
    if (e instanceof ChunkError) throw new ClientError(`\`${o.input}\`: ${e.message}`);
    throw e;
  } finally {
    closeSync(inFd);
    key.fill(0);
  }
  return header;
}
