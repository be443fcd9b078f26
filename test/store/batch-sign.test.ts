/** One Ed25519 signature over a Merkle tree of answers (runtime/identity/batch-sign.ts). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BatchSigner, MAX_SIGN_BATCH, signBatch, verifyBatch } from '../../runtime/identity/batch-sign.js';
import { generateIdentity, privateKeyObject, publicKeyObject } from '../../runtime/identity/keys.js';
import { decisionMessage, sha256Hex, verifyDecision } from '../../runtime/identity/sign.js';

const k = generateIdentity();
const key = privateKeyObject(k);
const pub = publicKeyObject(k.publicKey);
const msg = (i: number) => Buffer.from(`message ${i}`);

describe('batch signatures', () => {
  it('every message of a tree of any size verifies with its own path, and with no other message or path (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), (size, pick) => {
      const messages = Array.from({ length: size }, (_, i) => msg(i));
      const signed = signBatch(key, messages);
      expect(new Set(signed.map((s) => s.signature)).size).toBe(1);
      const i = pick % size;
      expect(verifyBatch(pub, messages[i]!, signed[i]!.signature, signed[i]!.batch)).toBe(true);
      expect(signed[i]!.batch.path.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
      if (size > 1) {
        const j = (i + 1) % size;
        expect(verifyBatch(pub, messages[j]!, signed[i]!.signature, signed[i]!.batch)).toBe(false);
        expect(verifyBatch(pub, messages[i]!, signed[i]!.signature, signed[j]!.batch)).toBe(false);
      }
    }), { numRuns: 80 });
  });

  it('a message given as text signs its UTF-8 bytes: the same tree as the bytes, verified either way', () => {
    const texts = ['["kss-decision-v2","ü 🔑"]', 'plain', '', '\u0000 starts with a zero byte', 'x'.repeat(300)];
    const fromText = signBatch(key, texts);
    const fromBytes = signBatch(key, texts.map((t) => Buffer.from(t)));
    expect(fromText.map((s) => s.batch)).toEqual(fromBytes.map((s) => s.batch));
    texts.forEach((t, i) => {
      expect(verifyBatch(pub, Buffer.from(t), fromText[i]!.signature, fromText[i]!.batch)).toBe(true);
      expect(verifyBatch(pub, t, fromBytes[i]!.signature, fromBytes[i]!.batch)).toBe(true);
    });
  });

  it('refuses a changed index, size or path entry, a path too long or short, another key, and garbage', () => {
    const messages = [0, 1, 2, 3, 4].map(msg);
    const s = signBatch(key, messages)[2]!;
    const ok = (b: typeof s.batch, m = messages[2]!, sig = s.signature, p = pub) => verifyBatch(p, m, sig, b);
    expect(ok(s.batch)).toBe(true);
    expect(ok({ ...s.batch, index: 3 })).toBe(false);
    expect(ok({ ...s.batch, size: 4 })).toBe(false);
    expect(ok({ ...s.batch, size: 6 })).toBe(false);
    expect(ok({ ...s.batch, path: [...s.batch.path, s.batch.path[0]!] })).toBe(false);
    expect(ok({ ...s.batch, path: s.batch.path.slice(1) })).toBe(false);
    expect(ok({ ...s.batch, path: [s.batch.path[0]!.replace(/^./, (c) => (c === '0' ? '1' : '0')), ...s.batch.path.slice(1)] })).toBe(false);
    expect(ok({ ...s.batch, path: ['zz', ...s.batch.path.slice(1)] })).toBe(false);
    expect(ok({ index: -1, size: 5, path: [] })).toBe(false);
    expect(ok({ index: 0, size: MAX_SIGN_BATCH + 1, path: [] })).toBe(false);
    expect(ok({ index: 0.5, size: 5, path: [] })).toBe(false);
    expect(ok(s.batch, messages[2]!, s.signature, publicKeyObject(generateIdentity().publicKey))).toBe(false);
  });

  it('the signer signs the messages of one turn together and each answer verifies as a decision', async () => {
    const signer = new BatchSigner(key);
    const fields = (i: number) => ({ keyserverId: k.id, decisionId: `d${i}`, requestSha256: sha256Hex(String(i)), decidedAt: '2026-12-02T06:00:00.000Z', policyVersion: 1, policySha256: 'ab', nonce: null, approved: i % 2 === 0, ruleSet: i % 2 === 0 ? 0 : null, ruleIds: i % 2 === 0 ? ['a', 'b'] : [] });
    const answers = await Promise.all([0, 1, 2].map((i) => signer.sign(decisionMessage(fields(i)))));
    expect(answers.map((a) => a.batch.size)).toEqual([3, 3, 3]);
    answers.forEach((a, i) => expect(verifyDecision(k.publicKey, fields(i), a.signature, { batch: a.batch })).toBe(true));
    expect(verifyDecision(k.publicKey, { ...fields(0), approved: false }, answers[0]!.signature, { batch: answers[0]!.batch })).toBe(false);
    const later = await signer.sign(decisionMessage(fields(9)));
    expect(later.batch).toEqual({ index: 0, size: 1, path: [] });
    expect(verifyDecision(k.publicKey, fields(9), later.signature, { batch: later.batch })).toBe(true);
  });

  it('splits a turn with more than the batch limit into several trees', async () => {
    const signer = new BatchSigner(key, 4);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => signer.sign(msg(i))));
    expect(answers.map((a) => a.batch.size)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 2, 2]);
    answers.forEach((a, i) => expect(verifyBatch(pub, msg(i), a.signature, a.batch)).toBe(true));
  });
});
