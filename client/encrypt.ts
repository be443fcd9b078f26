/**
 * `kss client encrypt IN -o OUT --path META`: a fresh file key, split 2-of-2 between this device
 * and the keyserver, each share sealed to its holder; the file streamed through client/chunks.ts.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { CHUNK_SIZE, encryptChunks } from './chunks.js';
import { encodeHeader, type FileHeader } from './file-format.js';
import { writeWhole } from './output.js';
import { ClientError, type Profile } from './profile-dir.js';
import { splitAndSeal, type Holder } from './shares.js';

export interface EncryptOptions {
  input: string;
  output: string;
  meta: string;
  chunkSize?: number;
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
  const holders: Holder[] = [
    { holder: 'device', id: profile.device.device_id, encryptionKey: profile.device.encryption_key },
    { holder: 'keyserver', id: profile.keyserver.keyserver_id, encryptionKey: profile.keyserver.encryption_public_key },
  ];
  const header: FileHeader = {
    cipher: 'aes-256-gcm-chunked', chunk_size: o.chunkSize ?? CHUNK_SIZE, keyserver_id: binding.keyserverId, profile_id: binding.profileId,
    file_id: fileId, meta: o.meta, threshold: 2, shares: await splitAndSeal(key, holders, 2, binding),
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
