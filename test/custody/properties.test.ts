/**
 * Laws of the custody primitives: any `threshold` of the sealed shares rebuild the key and fewer
 * do not; a sealed value opens under its own associated data only; the chunked stream decrypts
 * to the input for every length and chunk size, and a flipped byte anywhere is refused.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEncryptionKeyPair, openWith, sealTo } from '../../protocol/hpke.js';
import { shardAad } from '../../protocol/messages.js';
import { combineShares, openShare, splitAndSeal } from '../../client/shares.js';
import { ChunkError, decryptChunks, encryptChunks } from '../../client/chunks.js';

const hex16 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('hex'));
const binding = fc.record({
  keyserverId: fc.string({ minLength: 1, maxLength: 40 }), profileId: hex16,
  fileId: hex16, meta: fc.string({ minLength: 1, maxLength: 60 }),
});

describe('custody properties', () => {
  it('Shamir + HPKE: any threshold of the sealed shares rebuilds the key; one share fewer does not', async () => {
    const holders = await Promise.all(Array.from({ length: 5 }, () => generateEncryptionKeyPair()));
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 5 }), binding, async (key, n, tRaw, b) => {
      const t = 2 + (tRaw % (n - 1));
      const hs = holders.slice(0, n).map((h, i) => ({ holder: 'device' as const, id: `d${i}`, encryptionKey: Buffer.from(h.publicKey).toString('base64') }));
      const shares = await splitAndSeal(key, hs, t, b);
      const opened = await Promise.all(shares.map((s, i) => openShare(s, Buffer.from(holders[i]!.privateKey).toString('base64'), b)));
      const subset = opened.slice(n - t);
      expect(Buffer.from(await combineShares(subset)).equals(Buffer.from(key))).toBe(true);
      // t - 1 shares (at least the 2 the library combines) yield some other value, never the key.
      if (t > 2) expect(Buffer.from(await combineShares(subset.slice(1))).equals(Buffer.from(key))).toBe(false);
    }), { numRuns: 25 });
  });

  it('HPKE: a sealed value opens under its associated data, and not under any other', async () => {
    const kp = await generateEncryptionKeyPair();
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), binding, binding, async (plain, b1, b2) => {
      const sealed = await sealTo(kp.publicKey, plain, shardAad(b1));
      expect(Buffer.from(await openWith(kp.privateKey, sealed, shardAad(b1))).equals(Buffer.from(plain))).toBe(true);
      if (!shardAad(b1).equals(shardAad(b2))) await expect(openWith(kp.privateKey, sealed, shardAad(b2))).rejects.toThrow();
    }), { numRuns: 40 });
  });

  it('chunked AES-GCM: round trip for every length and chunk size; any flipped byte is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kss-chunks-'));
    try {
      fc.assert(fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 700 }), fc.nat(), (length, chunk, flipSeed) => {
        const key = randomBytes(32);
        const prefix = randomBytes(32);
        const plain = randomBytes(length);
        writeFileSync(join(dir, 'p'), plain);
        const run = (fn: (i: number, o: number) => void, from: string, to: string) => {
          const i = openSync(join(dir, from), 'r');
          const o = openSync(join(dir, to), 'w');
          try {
            fn(i, o);
          } finally {
            closeSync(i);
            closeSync(o);
          }
        };
        run((i, o) => encryptChunks(key, prefix, i, o, chunk), 'p', 'c');
        const ct = readFileSync(join(dir, 'c'));
        run((i, o) => decryptChunks(key, prefix, i, 0, ct.length, o, chunk), 'c', 'd');
        expect(readFileSync(join(dir, 'd')).equals(plain)).toBe(true);
        const bad = Buffer.from(ct);
        bad[flipSeed % bad.length]! ^= 0x80;
        writeFileSync(join(dir, 'b'), bad);
        expect(() => run((i, o) => decryptChunks(key, prefix, i, 0, bad.length, o, chunk), 'b', 'e')).toThrow(ChunkError);
        // Cut off at a chunk boundary (a whole last chunk dropped): refused too.
        if (ct.length > chunk + 16) expect(() => run((i, o) => decryptChunks(key, prefix, i, 0, chunk + 16, o, chunk), 'c', 'e')).toThrow(ChunkError);
      }), { numRuns: 60 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
