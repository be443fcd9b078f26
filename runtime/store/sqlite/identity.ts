/**
 * The SQLite store's identity: kss.db keeps the id, the PUBLIC key and created_at (schema version
 * 5 blanked its private_key column); the private key is in the data directory's signing key file
 * (runtime/identity/local-key.ts, mode 0600), the one mechanism cluster instances use too. So
 * whoever can write kss.db but not read that file cannot re-sign a rewritten audit chain.
 */
import type Database from 'better-sqlite3';
import { identityFromPrivateKey } from '../../identity/keys.js';
import { localKeyPath, readLocalKey, writeLocalKey } from '../../identity/local-key.js';
import { StoreError, type KeyserverIdentity, type SigningIdentity } from '../types.js';

export interface IdentityRow { id: string; public_key: string; private_key: string; created_at: string }

const restore = (dataDir: string) =>
  `restore it from the keyserver's backup key with \`kss keyserver recovery-ingest-key BACKUP --data-dir ${dataDir}\``;

/** The data directory's key when it is the row's; otherwise a StoreError saying what is wrong and what to do. */
export function signingIdentityFor(dataDir: string, row: IdentityRow): SigningIdentity {
  const file = localKeyPath(dataDir);
  const local = readKeyFile(dataDir);
  if (!local) {
    throw new StoreError('corrupt', `the signing key of keyserver \`${row.id}\` is missing: kss.db holds its public key only, and \`${file}\` does not exist; ${restore(dataDir)}`);
  }
  if (local.id !== row.id || local.publicKey !== row.public_key) {
    throw new StoreError('corrupt', `\`${file}\` holds the signing key of keyserver \`${local.id}\`, which does not match kss.db's public key (keyserver \`${row.id}\`); move the file aside and ${restore(dataDir)}`);
  }
  return { ...local, createdAt: row.created_at };
}

/**
 * Writes `k`'s private key to the key file. Also the restore of a keyserver whose key file was
 * lost: when the row already names `k`, only the file is written.
 */
export function writeIdentityKey(dataDir: string, row: IdentityRow | undefined, k: KeyserverIdentity): void {
  const local = readKeyFile(dataDir); // a damaged file gets the SQLite advice, not the cluster's
  if (row && (row.id !== k.id || row.public_key !== k.publicKey || local?.id === row.id)) {
    throw new StoreError('exists', `a keyserver already exists in \`${dataDir}\` (\`${row.id}\`)`);
  }
  writeLocalKey(dataDir, k);
}

function readKeyFile(dataDir: string): SigningIdentity | null {
  try {
    return readLocalKey(dataDir);
  } catch {
    throw new StoreError('corrupt', `\`${localKeyPath(dataDir)}\` is not a valid kss signing key file; move it aside and ${restore(dataDir)}`);
  }
}

/**
 * Schema version 5: an older kss kept the private key in kss.db. It moves to the key file, then
 * the column is blanked with secure_delete on, so the old bytes are zeroed rather than left in
 * free space; the caller truncates the WAL, which held them too.
 */
export function moveKeyOutOfDatabase(db: Database.Database, dataDir: string): void {
  const row = db.prepare<[], IdentityRow>('SELECT id, public_key, private_key, created_at FROM identity').get();
  if (!row || row.private_key === '') return;
  const identity = identityFromPrivateKey(row.private_key, row.created_at);
  if (identity.id !== row.id || identity.publicKey !== row.public_key) {
    throw new StoreError('corrupt', `kss.db's private key is not keyserver \`${row.id}\`'s (it does not match the stored public key); ${restore(dataDir)}`);
  }
  const held = readKeyFile(dataDir);
  if (held && held.id !== row.id) {
    throw new StoreError('exists', `\`${localKeyPath(dataDir)}\` holds the signing key of keyserver \`${held.id}\`, not kss.db's (\`${row.id}\`); move it aside and open the keyserver again`);
  }
  writeLocalKey(dataDir, identity);
  db.pragma('secure_delete = ON');
  db.prepare("UPDATE identity SET private_key = ''").run();
}
