import { describe, expect, it } from 'vitest';
import { generateIdentity, identityFromPrivateKey, privateKeyObject } from '../../runtime/identity/keys.js';
import { BackupError, decryptBackup, encryptBackup } from '../../runtime/identity/backup.js';
import { decisionMessage, sha256Hex, signDecision, verifyDecision, type SignedFields } from '../../runtime/identity/sign.js';

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
    const fields: SignedFields = {
      keyserverId: k.id, decisionId: 'd1', requestSha256: sha256Hex('{"request_type":"decrypt"}'), decidedAt: '2026-12-02T05:00:00.000Z',
      policyVersion: 3, policySha256: 'ab'.repeat(32), nonce: 'n-1', approved: true, ruleSet: 0, ruleIds: ['a', 'b'],
    };
    const sig = signDecision(privateKeyObject(k), fields);
    expect(verifyDecision(k.publicKey, fields, sig)).toBe(true);
    const changed: Array<Partial<SignedFields>> = [
      { approved: false }, { requestSha256: sha256Hex('{}') }, { decidedAt: '2026-12-03T05:00:00.000Z' }, { policyVersion: 4 },
      { policySha256: 'cd'.repeat(32) }, { nonce: null }, { nonce: 'n-2' }, { ruleSet: 1 }, { ruleIds: ['a,b'] }, { ruleIds: ['a', 'b', ''] },
    ];
    for (const c of changed) expect(verifyDecision(k.publicKey, { ...fields, ...c }, sig), JSON.stringify(c)).toBe(false);
    expect(verifyDecision(generateIdentity().publicKey, fields, sig)).toBe(false);
  });

  it('rule ids that join alike sign differently (the message is a JSON array)', () => {
    const base: SignedFields = { keyserverId: 'k', decisionId: 'd', requestSha256: 'h', decidedAt: 't', policyVersion: 1, policySha256: 's', nonce: null, approved: true, ruleSet: 0, ruleIds: [] };
    expect(decisionMessage({ ...base, ruleIds: ['a,b'] }).equals(decisionMessage({ ...base, ruleIds: ['a', 'b'] }))).toBe(false);
    // A separator inside one field cannot shift the next field (the v1 message joined with newlines).
    expect(decisionMessage({ ...base, decisionId: 'd\nh', requestSha256: '' }).equals(decisionMessage(base))).toBe(false);
  });

  it('verifyDecision checks the nonce the client chose and how old the answer is', () => {
    const k = generateIdentity();
    const fields = {
      keyserverId: k.id, decisionId: 'd1', requestSha256: 'h', decidedAt: '2026-12-02T05:00:00.000Z', policyVersion: 1, policySha256: 's',
      nonce: 'mine', approved: true, ruleSet: 0, ruleIds: [],
    };
    const sig = signDecision(privateKeyObject(k), fields);
    const now = Date.parse(fields.decidedAt) + 1000;
    expect(verifyDecision(k.publicKey, fields, sig, { nonce: 'mine', maxAgeMs: 30_000, now })).toBe(true);
    expect(verifyDecision(k.publicKey, fields, sig, { nonce: 'other' })).toBe(false);
    expect(verifyDecision(k.publicKey, fields, sig, { maxAgeMs: 30_000, now: now + 86_400_000 })).toBe(false);
  });
});
