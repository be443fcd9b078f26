/**
 * The backup key as M of N share files (the vendor's "3 devices to approve, 5 in total"): the
 * backup secret split with Shamir's scheme (`shamir-secret-sharing`, audited), each share in its
 * own file `PATH.1` .. `PATH.N`, encrypted with a passphrase as a whole backup file is: each
 * share with its custodian's own passphrase (one passphrase for all would let whoever knows it and
 * holds M files restore the key alone; sets written that way still read). Any M restore the
 * keyserver; fewer reveal nothing about the key. A random set id keeps shares of two sets (an old
 * and a fresh `save-backup-key`) from being combined.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { combine, split } from 'shamir-secret-sharing';
import type { KeyserverIdentity, SigningIdentity } from '../store/types.js';
import { backupSecret, BackupError, decryptBackup, identityFromSecret, openWithPassphrase, sealWithPassphrase, writeBackupFile, type PassphraseBox } from './backup.js';

const FORMAT = 'kss-backup-key-share';
/** What `--ignore-security-checks` lets an administrator go below. */
export const MIN_SHARES = 5;
export const MIN_THRESHOLD = 3;
/** The library's limits (one byte of share index; at least two shares to combine). */
const MAX_SHARES = 255;

interface ShareFile extends PassphraseBox {
  format: typeof FORMAT;
  version: 1;
  keyserver_id: string;
  set_id: string;
  index: number;
  shares: number;
  threshold: number;
}

export interface BackupTarget {
  path: string;
  /** A whole file's passphrase; for share files one per share (a single string: every share under it). */
  passphrase: string | string[];
  /** Split into this many share files (`PATH.1` ..); absent: one whole backup file at `PATH`. */
  shares?: number;
  threshold?: number;
}

/** The share a passphrase is asked for (null: a whole backup file). */
export interface ShareRef {
  path: string;
  index: number;
  shares: number;
  keyserverId: string;
}

/** One passphrase for every file given, or the passphrase of each (asked in the order the files were given). */
export type BackupPassphrase = string | ((share: ShareRef | null) => Promise<string>);

const shareAad = (f: Pick<ShareFile, 'keyserver_id' | 'set_id' | 'index' | 'shares' | 'threshold'>) => JSON.stringify([FORMAT, f.keyserver_id, f.set_id, f.index, f.shares, f.threshold]);

/** The files a backup writes. */
export function backupPaths(t: Pick<BackupTarget, 'path' | 'shares'>): string[] {
  return t.shares === undefined ? [t.path] : Array.from({ length: t.shares }, (_, i) => `${t.path}.${i + 1}`);
}

/** Why these share settings cannot be used at all (even with --ignore-security-checks), or null. */
export function shareSettingsProblem(shares: number | undefined, threshold: number | undefined): string | null {
  if (shares === undefined && threshold === undefined) return null;
  if (shares === undefined || threshold === undefined) return '--backup-shares and --backup-threshold go together';
  if (!Number.isInteger(shares) || shares < 2 || shares > MAX_SHARES) return `--backup-shares must be a whole number from 2 to ${MAX_SHARES}`;
  if (!Number.isInteger(threshold) || threshold < 2 || threshold > shares) return '--backup-threshold must be a whole number from 2 to --backup-shares';
  return null;
}

/** Why these settings are below the security bar (what --ignore-security-checks allows), or null. */
export function weakBackupProblem(shares: number | undefined, threshold: number | undefined): string | null {
  if (shares === undefined) return `a single backup key file is one point of loss and of theft (split it with --backup-shares ${MIN_SHARES} --backup-threshold ${MIN_THRESHOLD})`;
  if (shares < MIN_SHARES || threshold! < MIN_THRESHOLD) return `${shares} shares with a threshold of ${threshold} is below ${MIN_SHARES} shares with a threshold of ${MIN_THRESHOLD}`;
  return null;
}

/** Writes the backup (refusing, before writing anything, when one of its files exists). */
export async function writeBackup(t: BackupTarget, identity: KeyserverIdentity): Promise<string[]> {
  const paths = backupPaths(t);
  const taken = paths.find((p) => existsSync(p));
  if (taken) throw new BackupError(`\`${taken}\` already exists; choose another backup path`);
  const passphraseOf = (i: number) => (typeof t.passphrase === 'string' ? t.passphrase : t.passphrase[i]);
  if (Array.isArray(t.passphrase) && t.passphrase.length !== paths.length) throw new BackupError(`${paths.length} passphrases are needed, one per file; ${t.passphrase.length} were given`);
  if (t.shares === undefined) {
    writeBackupFile(t.path, identity, passphraseOf(0)!);
    return paths;
  }
  const parts = await split(new Uint8Array(backupSecret(identity)), t.shares, t.threshold!);
  const setId = randomBytes(8).toString('hex');
  parts.forEach((part, i) => {
    const head = { keyserver_id: identity.id, set_id: setId, index: i + 1, shares: t.shares!, threshold: t.threshold! };
    const file: ShareFile = { format: FORMAT, version: 1, ...head, ...sealWithPassphrase(Buffer.from(part), shareAad(head), passphraseOf(i)!) };
    writeFileSync(paths[i]!, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  });
  return paths;
}

function readShareFile(path: string): ShareFile | null {
  const text = readFileSync(path, 'utf8');
  try {
    const v = JSON.parse(text) as ShareFile;
    return v?.format === FORMAT && v.version === 1 ? v : null;
  } catch {
    throw new BackupError(`\`${path}\` is not a kss backup key file (it is not JSON)`);
  }
}

/** Restores the identity from one whole backup file, or from at least `threshold` share files of one set. */
export async function readBackup(paths: string[], passphrase: BackupPassphrase): Promise<SigningIdentity> {
  if (paths.length === 0) throw new BackupError('give the backup key file, or its share files');
  const ask = typeof passphrase === 'string' ? async () => passphrase : passphrase;
  const shares = paths.map((p) => [p, readShareFile(p)] as const);
  if (shares.length === 1 && shares[0]![1] === null) return decryptBackup(readFileSync(paths[0]!, 'utf8'), await ask(null));
  const notShare = shares.find(([, f]) => f === null);
  if (notShare) throw new BackupError(`\`${notShare[0]}\` is a whole backup key, not a share: give it alone`);
  const first = shares[0]![1]!;
  for (const [p, f] of shares) {
    if (f!.keyserver_id !== first.keyserver_id || f!.set_id !== first.set_id) throw new BackupError(`\`${p}\` belongs to another set of shares (another keyserver, or another save-backup-key)`);
  }
  const indices = new Set(shares.map(([, f]) => f!.index));
  if (indices.size !== shares.length) throw new BackupError('the same share was given twice');
  if (indices.size < first.threshold) {
    throw new BackupError(`${first.threshold} of the ${first.shares} shares are needed to restore keyserver \`${first.keyserver_id}\`; ${indices.size === 1 ? 'only 1 was' : `only ${indices.size} were`} given`);
  }
  const parts: Buffer[] = [];
  for (const [path, f] of shares) {
    const pass = await ask({ path, index: f!.index, shares: f!.shares, keyserverId: f!.keyserver_id });
    try {
      parts.push(openWithPassphrase(f!, shareAad(f!), pass));
    } catch {
      throw new BackupError(`wrong passphrase for share ${f!.index} (\`${path}\`), or the file was modified`);
    }
  }
  return identityFromSecret(Buffer.from(await combine(parts.map((p) => new Uint8Array(p)))), first.keyserver_id);
}
