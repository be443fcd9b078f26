/**
 * The encrypted file: `KSSF`, a format version byte, the header's length (u32 big-endian), the
 * header (JSON, UTF-8), then the chunks (client/chunks.ts). The header is in the clear (the
 * keyserver must see what the policy decides on) and is authenticated three ways: each shard is
 * sealed under associated data built from its fields, and every chunk's associated data carries
 * the sha-256 of the whole prefix, so a changed header byte makes decryption fail.
 *
 * Version 1 (written before profiles could have more devices): one device share and the
 * keyserver's, 2 of 2, the device's share sealed under `shardAad`. Version 2: one share per device
 * of the profile, each sealed under `deviceShardAad` (which names the device), and `threshold` M
 * = the devices, the keyserver counted as one, that must take part (client/shares.ts). Both read.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { isSealed, type Sealed } from '../protocol/hpke.js';
import { ClientError } from './profile-dir.js';

export const MAGIC = Buffer.from('KSSF');
export const FORMAT_VERSION = 2;
const READABLE_VERSIONS = [1, 2];
/** A header is a few hundred bytes; the cap keeps a hostile file from making us read gigabytes. */
export const MAX_HEADER = 64 * 1024;

export interface Share {
  holder: 'keyserver' | 'device';
  /** The keyserver id or the device id the share is sealed to. */
  id: string;
  sealed: Sealed;
}

export interface FileHeader {
  cipher: 'aes-256-gcm-chunked';
  chunk_size: number;
  keyserver_id: string;
  profile_id: string;
  /** The cryptographic id: 16 random bytes, hex. */
  file_id: string;
  meta: string;
  threshold: number;
  shares: Share[];
}

export interface ReadHeader {
  header: FileHeader;
  version: number;
  /** The bytes up to the first chunk (magic, version, length, header). */
  prefixLength: number;
  prefixSha256: Buffer;
}

/** `version` other than the current one only for tests that make files as older kss wrote them. */
export function encodeHeader(h: FileHeader, version = FORMAT_VERSION): { prefix: Buffer; prefixSha256: Buffer } {
  const json = Buffer.from(JSON.stringify(h));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  const prefix = Buffer.concat([MAGIC, Buffer.from([version]), len, json]);
  return { prefix, prefixSha256: createHash('sha256').update(prefix).digest() };
}

function bad(file: string, why: string): ClientError {
  return new ClientError(`\`${file}\` is not a kss encrypted file (${why})`);
}

export function readHeader(file: string): ReadHeader {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(9);
    if (readSync(fd, head, 0, 9, 0) !== 9 || !head.subarray(0, 4).equals(MAGIC)) throw bad(file, 'no KSSF signature');
    const version = head[4]!;
    if (!READABLE_VERSIONS.includes(version)) throw bad(file, `format version ${version}; this kss reads versions ${READABLE_VERSIONS.join(' and ')}`);
    const length = head.readUInt32BE(5);
    if (length > MAX_HEADER) throw bad(file, 'header too large');
    const json = Buffer.alloc(length);
    if (readSync(fd, json, 0, length, 9) !== length) throw bad(file, 'truncated header');
    let header: FileHeader;
    try {
      header = JSON.parse(json.toString('utf8')) as FileHeader;
    } catch {
      throw bad(file, 'the header is not JSON');
    }
    if (!headerShapeOk(header, version)) throw bad(file, 'malformed header');
    const prefix = Buffer.concat([head, json]);
    return { header, version, prefixLength: prefix.length, prefixSha256: createHash('sha256').update(prefix).digest() };
  } finally {
    closeSync(fd);
  }
}

function headerShapeOk(h: FileHeader, version: number): boolean {
  const str = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 4096;
  if (
    !(typeof h === 'object' && h !== null && h.cipher === 'aes-256-gcm-chunked' && Number.isInteger(h.chunk_size) && h.chunk_size > 0 && h.chunk_size <= 16 * 1024 * 1024 &&
    str(h.keyserver_id) && str(h.profile_id) && /^[0-9a-f]{32}$/.test(h.file_id) && str(h.meta) && Number.isInteger(h.threshold) && h.threshold >= 2 &&
    Array.isArray(h.shares) && h.shares.every((s) => (s?.holder === 'keyserver' || s?.holder === 'device') && str(s.id) && isSealed(s.sealed)))
  ) return false;
  // One keyserver share; enough device shares for the threshold, each device once.
  const devices = h.shares.filter((s) => s.holder === 'device').map((s) => s.id);
  const keyservers = h.shares.length - devices.length;
  if (keyservers !== 1 || new Set(devices).size !== devices.length || devices.length < h.threshold - 1) return false;
  return version !== 1 || (h.threshold === 2 && devices.length === 1);
}
