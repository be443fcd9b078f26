/** The keyserver's encryption key follows from its signing key alone (what backups carry). */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity, identityFromPrivateKey } from '../../runtime/identity/keys.js';
import { encryptionKeyFor } from '../../runtime/identity/encryption.js';
import { readBackupFile, writeBackupFile } from '../../runtime/identity/backup.js';
import { sealTo } from '../../protocol/hpke.js';

describe('keyserver encryption key', () => {
  it('is the same after a backup round trip, differs between keyservers, and opens what was sealed to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kss-enc-key-'));
    try {
      const a = generateIdentity();
      writeBackupFile(join(dir, 'b.key'), a, 'a long passphrase');
      const restored = readBackupFile(join(dir, 'b.key'), 'a long passphrase');
      const [ka, kr, kb] = await Promise.all([encryptionKeyFor(a), encryptionKeyFor(identityFromPrivateKey(restored.privateKey, 'x')), encryptionKeyFor(generateIdentity())]);
      expect(kr.publicKey).toBe(ka.publicKey);
      expect(kb.publicKey).not.toBe(ka.publicKey);
      const sealed = await sealTo(Buffer.from(ka.publicKey, 'base64'), Buffer.from('shard'), Buffer.from('aad'));
      expect(Buffer.from(await kr.open(sealed, Buffer.from('aad'))).toString()).toBe('shard');
      await expect(kb.open(sealed, Buffer.from('aad'))).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused on an instance without the private key', async () => {
    const { privateKey: _p, ...publicOnly } = generateIdentity();
    await expect(encryptionKeyFor(publicOnly)).rejects.toThrow(/no private key/);
  });
});
