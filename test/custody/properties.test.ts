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
import { combine } from 'shamir-secret-sharing';
import { combineShares, openDeviceShare, splitAndSeal } from '../../client/shares.js';
import { ChunkError, decryptChunks, encryptChunks } from '../../client/chunks.js';

const hex16 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('hex'));
const binding = fc.record({
  keyserverId: fc.string({ minLength: 1, maxLength: 40 }), profileId: hex16,
  fileId: hex16, meta: fc.string({ minLength: 1, maxLength: 60 }),
});

describe('custody properties', () => {
  it('Shamir + HPKE, M of N: the keyserver and any M-1 workstations rebuild the key; fewer do not, nor every workstation without the keyserver', async () => {
    const pairs = await Promise.all(Array.from({ length: 6 }, () => generateEncryptionKeyPair()));
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
    const pick = (n: number, k: number, seed: number) => {
      const order = Array.from({ length: n }, (_, i) => i).sort((a, c) => ((a * 7919 + seed) % 13) - ((c * 7919 + seed) % 13));
      return order.slice(0, k);
    };
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.integer({ min: 1, max: 5 }), fc.nat(), fc.nat(), binding, async (key, w, tRaw, seed, b) => {
      const t = 2 + (tRaw % w);
      const [ksPair, ...devicePairs] = pairs.slice(0, w + 1);
      const devices = devicePairs.map((p, i) => ({ id: `d${i}`, encryptionKey: b64(p.publicKey) }));
      const shares = await splitAndSeal(key, { id: b.keyserverId, encryptionKey: b64(ksPair!.publicKey) }, devices, t, b);
      expect(shares.map((s) => [s.holder, s.id])).toEqual([['keyserver', b.keyserverId], ...devices.map((d) => ['device', d.id])]);
      const x = await openWith(ksPair!.privateKey, shares[0]!.sealed, shardAad(b));
      const ys = await Promise.all(shares.slice(1).map((s, i) => openDeviceShare(s, b64(devicePairs[i]!.privateKey), b, 2)));
      const chosen = pick(w, t - 1, seed).map((i) => ys[i]!);
      expect(Buffer.from(await combineShares(x, chosen, t)).equals(Buffer.from(key))).toBe(true);
      // One device fewer: refused, and (combined anyway, where the library can) some other value.
      if (t > 2) await expect(combineShares(x, chosen.slice(1), t)).rejects.toThrow(RangeError);
      if (t > 3) {
        const wrongPart = await combine(chosen.slice(1).map((y) => new Uint8Array(y)));
        // A wrong workstation part is arbitrary bytes: when its last byte (read as a share's index)
        // equals the keyserver share's, the library refuses the pair, which is no key either.
        const rebuilt = await combine([new Uint8Array(x), wrongPart]).catch(() => null);
        expect(rebuilt !== null && Buffer.from(rebuilt).equals(Buffer.from(key))).toBe(false);
      }
      // Every workstation together, without the keyserver: never the key.
      const alone = ys.length >= 2 && t > 2 ? await combine(ys.map((y) => new Uint8Array(y))) : ys[0]!;
      expect(Buffer.from(alone).equals(Buffer.from(key))).toBe(false);
      // A device's share is sealed naming that device: presented as another device's, it does not open.
      if (w >= 2) await expect(openDeviceShare({ ...shares[1]!, id: 'd1' }, b64(devicePairs[0]!.privateKey), b, 2)).rejects.toThrow();
    }), { numRuns: 30 });
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
