/**
 * `kss client encrypt IN -o OUT --path META [--threshold M]`: a fresh file key, split between the
 * keyserver and every device of the profile this one knows (client/shares.ts: the keyserver and
 * M-1 workstations rebuild it), each share sealed to its holder; the file streamed through
 * client/chunks.ts.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { CHUNK_SIZE, encryptChunks } from './chunks.js';
import { encodeHeader, type FileHeader } from './file-format.js';
import { writeWhole } from './output.js';
import { isCertificate } from '../protocol/messages.js';
import { certificateMatches } from './onboard.js';
import { ClientError, type Profile } from './profile-dir.js';
import { splitAndSeal, type Holder } from './shares.js';

export interface EncryptOptions {
  input: string;
  output: string;
  meta: string;
  /** How many devices, the keyserver counted as one, must take part (default 2: the keyserver and one workstation). */
  threshold?: number;
  chunkSize?: number;
}

export const DEFAULT_THRESHOLD = 2;

/**
 * This device and every other device of the profile, each checked to hold a certificate the
 * pinned keyserver signed for exactly its keys (a share sealed to any other key would be lost).
 */
export function profileDevices(profile: Profile): Holder[] {
  const peers = (profile.devices ?? []).map((d) => {
    const expected = { keyserver_id: profile.keyserver.keyserver_id, profile_id: profile.profile_id, device_id: d.device_id, device_encryption_key: d.encryption_key };
    if (!isCertificate(d.certificate) || !certificateMatches(d.certificate, expected, profile.keyserver.public_key)) {
      throw new ClientError(`device \`${d.device_id}\` in the profile has no certificate of keyserver \`${profile.keyserver.keyserver_id}\` for its keys; add it again with \`kss client device add\``);
    }
    return { id: d.device_id, encryptionKey: d.encryption_key };
  });
  return [{ id: profile.device.device_id, encryptionKey: profile.device.encryption_key }, ...peers];
}

/** The meta as the keyserver will check it (server/validate.ts refuses the same). */
export function metaProblem(meta: string): string | null {
  if (meta === '' || meta.startsWith('/')) return 'give --path as a relative path without a leading `/` (e.g. `finance/2022/report.pdf`)';
  if (meta.split('/').some((c) => c === '' || c === '.' || c === '..')) return '--path must not have empty, `.` or `..` components';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(meta) || meta.length > 4096) return '--path must be at most 4096 characters without control characters';
  return null;
}

export async function encryptFile(profile: Profile, o: EncryptOptions): Promise<FileHeader> {
  const problem = metaProblem(o.meta);
  if (problem) throw new ClientError(problem);
  const key = randomBytes(32);
  const fileId = randomBytes(16).toString('hex');
  const binding = { keyserverId: profile.keyserver.keyserver_id, profileId: profile.profile_id, fileId, meta: o.meta };
  const devices = profileDevices(profile);
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > devices.length + 1) {
    throw new ClientError(`--threshold must be from 2 to ${devices.length + 1}: the profile has ${devices.length + 1} devices (${devices.length} workstation${devices.length === 1 ? '' : 's'} and the keyserver), and the keyserver is always one of them`);
  }
  const keyserver = { id: profile.keyserver.keyserver_id, encryptionKey: profile.keyserver.encryption_public_key };
  const header: FileHeader = {
    cipher: 'aes-256-gcm-chunked', chunk_size: o.chunkSize ?? CHUNK_SIZE, keyserver_id: binding.keyserverId, profile_id: binding.profileId,
    file_id: fileId, meta: o.meta, threshold, shares: await splitAndSeal(key, keyserver, devices, threshold, binding),
  };
  const { prefix, prefixSha256 } = encodeHeader(header);
  let inFd: number;
  try {
    inFd = openSync(o.input, 'r');
  } catch (e) {
    throw new ClientError(`cannot read \`${o.input}\` (${(e as NodeJS.ErrnoException).code})`);
  }
  try {
    await writeWhole(o.output, (outFd) => {
      writeSync(outFd, prefix);
      encryptChunks(key, prefixSha256, inFd, outFd, header.chunk_size);
    });
  } finally {
    closeSync(inFd);
    key.fill(0);
  }
  return header;
}
