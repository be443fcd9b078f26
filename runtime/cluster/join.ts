/**
 * `kss keyserver initialize --db-uri URI --backup-key PATH`: a new machine joins a cluster.
 * Joining is authorised by the keyserver's backup key: the file must decrypt with its passphrase
 * to the very key whose public half the database holds. Then the data directory keeps that key
 * (signing-key.json, 0600: the database holds the public key only) and records the database
 * (cluster.json), and `kss serve --data-dir D` serves and signs as one more instance.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readBackup, type BackupPassphrase } from '../identity/backup-shares.js';
import { writeLocalKey } from '../identity/local-key.js';
import { readClusterMarker, writeClusterMarker } from '../store/mysql/marker.js';
import { MysqlStore } from '../store/mysql/store.js';
import { StoreError } from '../store/types.js';
import { checkFreeDataDir } from './create.js';

export interface JoinResult {
  keyserverId: string;
  location: string;
}

export async function joinCluster(opts: { dataDir: string; dbUri: string; backupKeyPaths: string[]; passphrase: BackupPassphrase; actor: string }): Promise<JoinResult> {
  const dir = resolve(opts.dataDir);
  if (existsSync(join(dir, 'kss.db')) && !readClusterMarker(dir)) {
    throw new StoreError('exists', `\`${opts.dataDir}\` holds a single-machine keyserver; move it with \`kss keyserver clone-db URI\` or use another --data-dir`);
  }
  // Decrypt first: a wrong passphrase or a foreign file fails before the database is touched.
  const fromBackup = await readBackup(opts.backupKeyPaths, opts.passphrase);
  const store = await MysqlStore.open(opts.dbUri);
  try {
    const held = await store.getIdentity();
    if (!held) {
      throw new StoreError('not-found', `the database ${store.location} holds no keyserver; create one with \`kss keyserver create --db-uri URI\``);
    }
    if (held.id !== fromBackup.id || held.publicKey !== fromBackup.publicKey) {
      throw new StoreError('corrupt', `the backup key belongs to keyserver \`${fromBackup.id}\`, but the database holds \`${held.id}\`; use that keyserver's backup key`);
    }
    const existing = readClusterMarker(dir);
    if (existing && existing.keyserverId !== held.id) {
      throw new StoreError('exists', `\`${opts.dataDir}\` already belongs to keyserver \`${existing.keyserverId}\`; use another --data-dir`);
    }
    checkFreeDataDir(dir, held.id);
    // The proven key becomes this instance's signing key: the database has the public half only.
    writeLocalKey(dir, fromBackup);
    writeClusterMarker(dir, { dbUri: opts.dbUri, keyserverId: held.id });
    await store.appendAudit([{ at: new Date().toISOString(), kind: 'instance.initialize', actor: opts.actor, data: { keyserver_id: held.id, data_dir: dir } }]);
    return { keyserverId: held.id, location: store.location };
  } finally {
    await store.close();
  }
}
