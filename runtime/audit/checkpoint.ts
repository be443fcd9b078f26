/**
 * Signed checkpoints of the audit chain's head. The hash chain alone shows that rows were edited,
 * but not that the newest rows were deleted, that rows were renumbered, or that someone rewrote
 * the chain and recomputed every hash: anyone who can write to the database can do those. A
 * checkpoint is the keyserver's Ed25519 signature over
 *
 *   kss-audit-checkpoint-v1\n<keyserver_id>\n<seq>\n<hash of entry seq>\n<signed at, ISO-8601>
 *
 * so entries up to a checkpoint cannot change or go without the private key. The newest checkpoint
 * is also kept in the data directory (`audit-head.json`), so deleting rows together with their
 * checkpoints is noticed too.
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../datadir/atomic.js';
import { publicKeyObject } from '../identity/keys.js';
import type { AuditCheckpoint } from '../store/types.js';

/** How often a running keyserver signs the head while entries are appended. */
export const CHECKPOINT_INTERVAL_MS = 2000;
/**
 * Entries newer than the last checkpoint are not signed yet. `audit --verify` accepts them while
 * they are at most this much newer than that checkpoint (a keyserver killed before its next
 * checkpoint) or than the time of the verification (a keyserver running now).
 */
export const UNSIGNED_TAIL_GRACE_MS = 10_000;

export const HEAD_FILE = 'audit-head.json';
const HEAD_FORMAT = 'kss-audit-head';

export function checkpointMessage(keyserverId: string, c: Omit<AuditCheckpoint, 'signature'>): Buffer {
  return Buffer.from(['kss-audit-checkpoint-v1', keyserverId, String(c.seq), c.hash, c.at].join('\n'));
}

export function signCheckpoint(key: KeyObject, keyserverId: string, head: { seq: number; hash: string }, at: Date): AuditCheckpoint {
  const c = { seq: head.seq, hash: head.hash, at: at.toISOString() };
  return { ...c, signature: sign(null, checkpointMessage(keyserverId, c), key).toString('base64') };
}

export function checkpointSigned(publicKeyB64: string, keyserverId: string, c: AuditCheckpoint): boolean {
  try {
    return verify(null, checkpointMessage(keyserverId, c), publicKeyObject(publicKeyB64), Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

export class HeadFileError extends Error {}

export function headFilePath(dataDir: string): string {
  return join(dataDir, HEAD_FILE);
}

/** The data directory's copy of the newest checkpoint it wrote, or null when it has none. */
export function readHeadFile(dataDir: string): AuditCheckpoint | null {
  const path = headFilePath(dataDir);
  if (!existsSync(path)) return null;
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (v.format !== HEAD_FORMAT || v.version !== 1) throw new Error('format');
    const { seq, hash, at, signature } = v;
    if (!Number.isSafeInteger(seq) || typeof hash !== 'string' || typeof at !== 'string' || typeof signature !== 'string') throw new Error('fields');
    return { seq: seq as number, hash, at, signature };
  } catch {
    throw new HeadFileError(`\`${path}\` is damaged (not a kss audit head file)`);
  }
}

export function writeHeadFile(dataDir: string, keyserverId: string, c: AuditCheckpoint): void {
  const text = JSON.stringify({ format: HEAD_FORMAT, version: 1, keyserver_id: keyserverId, ...c }, null, 2);
  writeFileAtomic(headFilePath(dataDir), `${text}\n`, { mode: 0o600 });
}
