/**
 * Backup key files: the private key encrypted with a passphrase (scrypt + AES-256-GCM).
 * GCM's tag makes a wrong passphrase or an edited file fail loudly instead of yielding a bad key.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { KeyserverIdentity, SigningIdentity } from '../store/types.js';
import { identityFromPrivateKey } from './keys.js';

const FORMAT = 'kss-backup-key';
// scrypt cost: N=2^15 takes ~100 ms and 32 MiB, enough against offline guessing of a decent passphrase.
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };

interface BackupFile extends PassphraseBox {
  format: typeof FORMAT;
  version: 1;
  keyserver_id: string;
}

function deriveKey(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Buffer {
  return scryptSync(passphrase, salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r });
}

/** What a backup file or share file keeps: the plaintext encrypted under the passphrase. */
export interface PassphraseBox {
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string };
  ciphertext: string;
}

/** `aad` is authenticated too, so a file cannot be relabelled (another keyserver, another share). */
export function sealWithPassphrase(plain: Buffer, aad: string, passphrase: string): PassphraseBox {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(passphrase, salt, SCRYPT), iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    kdf: { name: 'scrypt', ...SCRYPT, salt: salt.toString('base64') },
    cipher: { name: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') },
    ciphertext: ciphertext.toString('base64'),
  };
}

export function openWithPassphrase(box: PassphraseBox, aad: string, passphrase: string): Buffer {
  try {
    const decipher = createDecipheriv('aes-256-gcm', deriveKey(passphrase, Buffer.from(box.kdf.salt, 'base64'), box.kdf), Buffer.from(box.cipher.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(box.cipher.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(box.ciphertext, 'base64')), decipher.final()]);
  } catch {
    throw new BackupError('wrong passphrase, or the backup key file was modified');
  }
}

/** The secret a backup holds (a whole file, or split into share files). */
export function backupSecret(identity: KeyserverIdentity): Buffer {
  if (identity.privateKey === undefined) {
    // A cluster instance that has not joined: the database holds the public key only.
    throw new BackupError(`this instance holds no signing key for keyserver \`${identity.id}\`; write the backup on an instance that joined the cluster (\`kss keyserver initialize\`), or with its --data-dir`);
  }
  return Buffer.from(JSON.stringify({ private_key: identity.privateKey, created_at: identity.createdAt }));
}

export function identityFromSecret(secret: Buffer, keyserverId: string): SigningIdentity {
  let plain: { private_key: string; created_at: string };
  let identity: SigningIdentity;
  try {
    plain = JSON.parse(secret.toString('utf8'));
    identity = identityFromPrivateKey(plain.private_key, plain.created_at);
  } catch {
    throw new BackupError('the backup key does not hold a signing key (shares of different sets, or a damaged file)');
  }
  if (identity.id !== keyserverId) throw new BackupError('the backup key file is inconsistent (id does not match its key)');
  return identity;
}

export function encryptBackup(identity: KeyserverIdentity, passphrase: string): string {
  const file: BackupFile = { format: FORMAT, version: 1, keyserver_id: identity.id, ...sealWithPassphrase(backupSecret(identity), identity.id, passphrase) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export class BackupError extends Error {}

export function decryptBackup(text: string, passphrase: string): SigningIdentity {
  let file: BackupFile;
  try {
    file = JSON.parse(text) as BackupFile;
  } catch {
    throw new BackupError('not a kss backup key file (it is not JSON)');
  }
  if (file?.format !== FORMAT || file.version !== 1) throw new BackupError('not a kss backup key file (unknown format)');
  return identityFromSecret(openWithPassphrase(file, file.keyserver_id, passphrase), file.keyserver_id);
}

export function writeBackupFile(path: string, identity: KeyserverIdentity, passphrase: string): void {
  writeFileSync(path, encryptBackup(identity, passphrase), { mode: 0o600, flag: 'wx' });
}

export function readBackupFile(path: string, passphrase: string): SigningIdentity {
  return decryptBackup(readFileSync(path, 'utf8'), passphrase);
}
