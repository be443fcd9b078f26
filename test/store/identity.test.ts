import { describe, expect, it } from 'vitest';
import { generateIdentity, identityFromPrivateKey, privateKeyObject } from '../../runtime/identity/keys.js';
import { BackupError, decryptBackup, encryptBackup } from '../../runtime/identity/backup.js';
import { sha256Hex, signDecision, verifyDecision } from '../../runtime/identity/sign.js';

describe('keyserver identity', () => {
  it('derives the id from the public key, so restoring the private key gives the same id', () => {
    const k = generateIdentity();
    expect(k.id).toMatch(/^ks_[0-9a-f]{32}$/);
    expect(identityFromPrivateKey(k.privateKey, k.createdAt)).toEqual(k);
    expect(generateIdentity().id).not.toBe(k.id);
  });

  it('backup files round-trip with the passphrase and fail with a wrong one or an edit', () => {
    const k = generateIdentity();
    const text = encryptBackup(k, 'correct horse battery');
    expect(text).not.toContain(k.privateKey);
    expect(decryptBackup(text, 'correct horse battery')).toEqual(k);
    expect(() => decryptBackup(text, 'wrong passphrase')).toThrow(BackupError);
    const file = JSON.parse(text);
    const other = generateIdentity();
    expect(() => decryptBackup(JSON.stringify({ ...file, keyserver_id: other.id }), 'correct horse battery')).toThrow(/wrong passphrase|modified/);
    expect(() => decryptBackup('not json', 'x')).toThrow(/not a kss backup/);
  });

  it('signed decisions verify with the public key and bind the request and the answer', () => {
    const k = generateIdentity();
    const fields = { keyserverId: k.id, decisionId: 'd1', requestSha256: sha256Hex('{"request_type":"decrypt"}'), approved: true, ruleSet: 0, ruleIds: ['a', 'b'] };
    const sig = signDecision(privateKeyObject(k), fields);
    expect(verifyDecision(k.publicKey, fields, sig)).toBe(true);
    expect(verifyDecision(k.publicKey, { ...fields, approved: false }, sig)).toBe(false);
    expect(verifyDecision(k.publicKey, { ...fields, requestSha256: sha256Hex('{}') }, sig)).toBe(false);
    expect(verifyDecision(generateIdentity().publicKey, fields, sig)).toBe(false);
  });
});
