/**
 * The data directory's signing key: `<dataDir>/signing-key.json`, mode 0600. A single-machine
 * keyserver keeps its key here (runtime/store/sqlite/identity.ts), and so does each cluster
 * instance: no database holds more than the id and PUBLIC key, so access to the database does
 * not give the power to sign. In cluster mode an instance gets the private key only by
 * creating the keyserver (`keyserver create --db-uri`), by proving possession of the backup key
 * and its passphrase (`keyserver initialize`), or by moving a single-machine keyserver
 * (`clone-db`); `kss serve` refuses to start in cluster mode without it (runtime/server/app.ts).
 *
 * The key is PKCS#8 DER, base64: the data directory (0700) and the file mode are the protection
 * boundary.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../datadir/atomic.js';
import { StoreError, type KeyserverIdentity, type SigningIdentity } from '../store/types.js';
import { identityFromPrivateKey } from './keys.js';

export const LOCAL_KEY_FILE = 'signing-key.json';
const FORMAT = 'kss-signing-key';

interface LocalKeyFile {
  format: typeof FORMAT;
  version: 1;
  keyserver_id: string;
  public_key: string;
  private_key: string;
  created_at: string;
}

export function localKeyPath(dataDir: string): string {
  return join(dataDir, LOCAL_KEY_FILE);
}

/** The key this data directory holds, or null when it holds none. A damaged file is an error. */
export function readLocalKey(dataDir: string): SigningIdentity | null {
  const file = localKeyPath(dataDir);
  if (!existsSync(file)) return null;
  let identity: SigningIdentity;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as LocalKeyFile;
    if (v.format !== FORMAT || v.version !== 1) throw new Error('format');
    // Rebuilt from the private key: the stored id and public key must follow from it.
    identity = identityFromPrivateKey(v.private_key, v.created_at);
    if (identity.id !== v.keyserver_id || identity.publicKey !== v.public_key) throw new Error('inconsistent');
  } catch {
    throw new StoreError('corrupt', `\`${file}\` is not a valid kss signing key file; remove it and join again with \`kss keyserver initialize --db-uri URI --backup-key PATH --data-dir ${dataDir}\``);
  }
  return identity;
}

/**
 * Writes the key (replacing one of the same keyserver), atomically and with mode 0600: a crash
 * never leaves a half-written key, and the key is never readable by others.
 */
export function writeLocalKey(dataDir: string, identity: KeyserverIdentity): void {
  if (identity.privateKey === undefined) throw new StoreError('not-found', `no private key to store for keyserver \`${identity.id}\``);
  const existing = readLocalKey(dataDir);
  if (existing && existing.id !== identity.id) {
    throw new StoreError('exists', `\`${localKeyPath(dataDir)}\` holds the signing key of keyserver \`${existing.id}\`; use another --data-dir`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file: LocalKeyFile = {
    format: FORMAT, version: 1, keyserver_id: identity.id, public_key: identity.publicKey,
    private_key: identity.privateKey, created_at: identity.createdAt,
  };
  writeFileAtomic(localKeyPath(dataDir), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
}

export function removeLocalKey(dataDir: string): void {
  rmSync(localKeyPath(dataDir), { force: true });
}

/**
 * `held` (id and public key from the database) completed with this data directory's private key,
 * when it holds the matching one; otherwise `held` as it is (no private key: cannot sign).
 */
export function withLocalKey(dataDir: string, held: KeyserverIdentity): KeyserverIdentity {
  const local = readLocalKey(dataDir);
  if (!local || local.id !== held.id || local.publicKey !== held.publicKey) return { ...held };
  return { ...held, privateKey: local.privateKey };
}

/** Why this data directory cannot sign for `held`, for the refusal of `kss serve`. */
export function notJoinedMessage(dataDir: string, held: KeyserverIdentity, dbUriHint: string): string {
  const join = `run \`kss keyserver initialize --db-uri ${dbUriHint} --backup-key PATH --data-dir ${dataDir}\` (the keyserver's backup key and its passphrase authorise this instance)`;
  const local = readLocalKey(dataDir);
  if (!local) return `this instance has not joined the cluster: \`${dataDir}\` holds no signing key for keyserver \`${held.id}\`; ${join}`;
  return (
    `this instance has not joined the cluster: the signing key in \`${localKeyPath(dataDir)}\` is keyserver \`${local.id}\`'s, ` +
    `which does not match the database's public key (keyserver \`${held.id}\`); ${join}`
  );
}
