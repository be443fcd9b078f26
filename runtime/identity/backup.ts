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

interface BackupFile {
  format: typeof FORMAT;
  version: 1;
  keyserver_id: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; iv: string; tag: string };
  ciphertext: string;
}

function deriveKey(passphrase: string, salt: Buffer, p: { N: number; r: number; p: number }): Buffer {
  return scryptSync(passphrase, salt, 32, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r });
}

export function encryptBackup(identity: KeyserverIdentity, passphrase: string): string {
  if (identity.privateKey === undefined) {
    // A cluster instance that has not joined: the database holds the public key only.
    throw new BackupError(`this instance holds no signing key for keyserver \`${identity.id}\`; write the backup on an instance that joined the cluster (\`kss keyserver initialize\`), or with its --data-dir`);
  }
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(passphrase, salt, SCRYPT), iv);
  // The id is authenticated too, so a file cannot be relabelled for another keyserver.
  cipher.setAAD(Buffer.from(identity.id));
  const plain = JSON.stringify({ private_key: identity.privateKey, created_at: identity.createdAt });
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const file: BackupFile = {
    format: FORMAT, version: 1, keyserver_id: identity.id,
    kdf: { name: 'scrypt', ...SCRYPT, salt: salt.toString('base64') },
    cipher: { name: 'aes-256-gcm', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') },
    ciphertext: ciphertext.toString('base64'),
  };
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
  const key = deriveKey(passphrase, Buffer.from(file.kdf.salt, 'base64'), file.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.cipher.iv, 'base64'));
  decipher.setAAD(Buffer.from(file.keyserver_id));
  decipher.setAuthTag(Buffer.from(file.cipher.tag, 'base64'));
  let plain: { private_key: string; created_at: string };
  try {
    plain = JSON.parse(Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64')), decipher.final()]).toString('utf8'));
  } catch {
    throw new BackupError('wrong passphrase, or the backup key file was modified');
  }
  const identity = identityFromPrivateKey(plain.private_key, plain.created_at);
  if (identity.id !== file.keyserver_id) throw new BackupError('the backup key file is inconsistent (id does not match its key)');
  return identity;
}

export function writeBackupFile(path: string, identity: KeyserverIdentity, passphrase: string): void {
  writeFileSync(path, encryptBackup(identity, passphrase), { mode: 0o600, flag: 'wx' });
}

export function readBackupFile(path: string, passphrase: string): SigningIdentity {
  return decryptBackup(readFileSync(path, 'utf8'), passphrase);
}
