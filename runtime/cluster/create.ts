/**
 * `kss keyserver create --db-uri URI` (and `recovery-ingest-key --db-uri URI`): a keyserver in a
 * shared database. The database gets the id and the PUBLIC key; the private key goes only to the
 * creating instance's data directory (signing-key.json, 0600) and, when asked, to an encrypted
 * backup file. Every other instance must prove possession of that backup to join (join.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backupPaths, writeBackup, type BackupTarget } from '../identity/backup-shares.js';
import { generateIdentity } from '../identity/keys.js';
import { readLocalKey, removeLocalKey, writeLocalKey } from '../identity/local-key.js';
import { readClusterMarker, writeClusterMarker } from '../store/mysql/marker.js';
import { MysqlStore } from '../store/mysql/store.js';
import { StoreError, type SigningIdentity } from '../store/types.js';

export interface CreateInClusterOptions {
  /** The creating instance's data directory: it keeps the signing key and cluster.json. */
  dataDir: string;
  dbUri: string;
  actor: string;
  /** Also write an encrypted backup key file. */
  backup?: BackupTarget;
  /** recovery-ingest-key: this (decrypted backup) identity instead of a new one. */
  restore?: SigningIdentity;
}

/** Refuses a data directory that already belongs to a keyserver of its own. */
export function checkFreeDataDir(dataDir: string, allowId?: string): void {
  if (existsSync(join(dataDir, 'kss.db')) && !readClusterMarker(dataDir)) {
    throw new StoreError('exists', `\`${dataDir}\` holds a single-machine keyserver; move it with \`kss keyserver clone-db URI --data-dir ${dataDir}\` or use another --data-dir`);
  }
  const local = readLocalKey(dataDir);
  if (local && local.id !== allowId) {
    throw new StoreError('exists', `\`${dataDir}\` already holds the signing key of keyserver \`${local.id}\`; use another --data-dir`);
  }
}

/** Refuses a data directory that cannot become a new instance (checked before anything is asked). */
export function checkNewInstanceDir(dataDir: string): void {
  checkFreeDataDir(dataDir);
  const marker = readClusterMarker(dataDir);
  if (marker) throw new StoreError('exists', `\`${dataDir}\` already belongs to keyserver \`${marker.keyserverId}\`; use another --data-dir`);
}

export async function createInCluster(opts: CreateInClusterOptions): Promise<SigningIdentity> {
  checkNewInstanceDir(opts.dataDir);
  const taken = opts.backup && backupPaths(opts.backup).find((p) => existsSync(p));
  if (taken) throw new StoreError('exists', `\`${taken}\` already exists; choose another backup path`);
  const store = await MysqlStore.open(opts.dbUri, { create: true });
  try {
    const held = await store.getIdentity();
    if (held) throw new StoreError('exists', `a keyserver already exists in ${store.location} (\`${held.id}\`); join it with \`kss keyserver initialize --db-uri URI --backup-key PATH\``);
    const identity = opts.restore ?? generateIdentity();
    // The key file first: once the database names the keyserver, its private key must exist somewhere.
    writeLocalKey(opts.dataDir, identity);
    try {
      await store.createIdentity(identity);
    } catch (error) {
      removeLocalKey(opts.dataDir);
      throw error;
    }
    writeClusterMarker(opts.dataDir, { dbUri: opts.dbUri, keyserverId: identity.id });
    if (opts.backup) await writeBackup(opts.backup, identity);
    const kind = opts.restore ? 'keyserver.recover' : 'keyserver.create';
    await store.appendAudit([{ at: new Date().toISOString(), kind, actor: opts.actor, data: { keyserver_id: identity.id, backup: !!opts.backup } }]);
    return identity;
  } finally {
    await store.close();
  }
}
