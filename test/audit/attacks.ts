/**
 * Attacks on the audit log by someone who can write to the database but does not hold the
 * keyserver's private key, run against each store (SQLite, MySQL): every one must make
 * `audit --verify` fail, and the signer must refuse to sign over it.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chainEntries, GENESIS_HASH } from '../../runtime/audit/chain.js';
import { AuditSigner } from '../../runtime/audit/signer.js';
import { verifyAudit } from '../../runtime/admin/audit.js';
import { canonicalJson } from '../../runtime/json/canonical.js';
import { generateIdentity } from '../../runtime/identity/keys.js';
import type { AuditEntry, AuditInput, KssStore, SigningIdentity } from '../../runtime/store/types.js';

export interface AttackHarness {
  /** A new store holding `identity`, and the data directory beside it. */
  fresh(identity: SigningIdentity): Promise<{ store: KssStore; dataDir: string }>;
  /** Runs SQL on the database behind the store's back (table names as in `tables`). */
  sql(store: KssStore, statement: string, params?: unknown[]): Promise<void>;
  tables: { audit: string; checkpoint: string };
  cleanup(): Promise<void>;
}

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const entry = (i: number): AuditInput => ({ at: at(i * 100), kind: 'decision', actor: 'api:t', data: { i, approved: i % 2 === 0, rule_ids: ['a'] } });

export function describeAuditAttacks(name: string, harness: () => AttackHarness): void {
  describe(`audit attacks: ${name}`, () => {
    let h: AttackHarness;
    let store: KssStore;
    let dataDir: string;
    let signer: AuditSigner;
    const stores: KssStore[] = [];
    /** Verification a second after the last entry: every entry should be signed by then. */
    const verify = (nowMs = 40 * 100 + 1000) => verifyAudit(store, dataDir, new Date(T0 + nowMs));
    const messages = async (nowMs?: number) => (await verify(nowMs)).problems.map((p) => p.message).join('\n');

    beforeEach(async () => {
      h ??= harness();
      const identity = generateIdentity();
      ({ store, dataDir } = await h.fresh(identity));
      stores.push(store);
      signer = new AuditSigner(store, identity, dataDir);
      // 40 entries in 4 appends, a checkpoint after each (as a running keyserver every 2 s).
      for (let b = 0; b < 4; b++) {
        await store.appendAudit(Array.from({ length: 10 }, (_, k) => entry(b * 10 + k + 1)));
        expect(await signer.checkpoint(() => new Date(T0 + (b + 1) * 1000))).toMatchObject({ seq: (b + 1) * 10 });
      }
    });
    afterAll(async () => {
      for (const s of stores) await s.close().catch(() => undefined);
      await h?.cleanup();
    });

    it('an untouched log verifies, signed up to its last entry', async () => {
      const r = await verify();
      expect(r.problems).toEqual([]);
      expect(r).toMatchObject({ count: 40, checkpoints: 4, headFile: true, signedUpTo: { seq: 40, at: at(4000) }, unsigned: null });
      expect(await signer.checkpoint()).toBeNull(); // the head did not move
    });

    it('entries after the last checkpoint are reported; accepted within seconds, refused later', async () => {
      const late = (i: number, ms: number): AuditInput => ({ ...entry(i), at: at(ms) });
      // Within seconds of the last checkpoint (at 4 s): a keyserver killed before its next one.
      await store.appendAudit([late(41, 5_000)]);
      expect((await verify(80_000)).problems).toEqual([]);
      // Written 20 s after it: fine while they are seconds old...
      await store.appendAudit([late(42, 20_000), late(43, 20_100)]);
      const fresh = await verify(20_500);
      expect(fresh.problems).toEqual([]);
      expect(fresh.unsigned).toEqual({ from: 41, to: 43, firstAt: at(5_000), lastAt: at(20_100) });
      // ...but a keyserver would have signed them within 2 s: a minute on, nobody holding the key did.
      expect(await messages(80_000)).toMatch(/entries 41-43 are not signed, and entry 42 .* more than 10 s after the last checkpoint \(entry 40/);
    });

    it('editing a row, or deleting one in the middle, is detected', async () => {
      await h.sql(store, `UPDATE ${h.tables.audit} SET data = ? WHERE seq = 3`, ['{"approved":true,"i":3,"rule_ids":["a"]}']);
      expect(await messages()).toMatch(/entry 3 was modified after it was written/);
      await h.sql(store, `UPDATE ${h.tables.audit} SET data = ? WHERE seq = 3`, ['{"approved":false,"i":3,"rule_ids":["a"]}']);
      expect(await messages()).toBe('');
      await h.sql(store, `DELETE FROM ${h.tables.audit} WHERE seq = 4`);
      const m = await messages();
      expect(m).toMatch(/entry 5 follows entry 3/);
      expect(m).toMatch(/entry 5 does not link to the entry before it/);
    });

    it('deleting the last row is detected', async () => {
      await h.sql(store, `DELETE FROM ${h.tables.audit} WHERE seq = 40`);
      expect(await messages()).toMatch(/checkpoint 40 .*names an entry the log does not have/);
      expect(await signer.checkpoint()).toBeNull();
    });

    it('deleting the last rows together with their checkpoints is detected (the data directory keeps the head)', async () => {
      await h.sql(store, `DELETE FROM ${h.tables.audit} WHERE seq > 15`);
      await h.sql(store, `DELETE FROM ${h.tables.checkpoint} WHERE seq > 15`);
      const m = await messages();
      expect(m).toMatch(/the data directory's checkpoint 40 .*names an entry the log does not have/);
      expect(m).toMatch(/checkpoints were deleted from the database/);
    });

    it('deleting every row and checkpoint is detected', async () => {
      await h.sql(store, `DELETE FROM ${h.tables.audit}`);
      await h.sql(store, `DELETE FROM ${h.tables.checkpoint}`);
      const r = await verify();
      expect(r.count).toBe(0);
      expect(r.problems.map((p) => p.message).join('\n')).toMatch(/data directory's checkpoint 40/);
    });

    it('renumbering is detected', async () => {
      await h.sql(store, `UPDATE ${h.tables.audit} SET seq = seq + 1000 WHERE seq > 20`);
      const m = await messages();
      expect(m).toMatch(/entry 1021 follows entry 20/);
      expect(m).toMatch(/checkpoint 30 .*names an entry the log does not have/);
    });

    it('rewriting an entry and recomputing every hash after it is detected', async () => {
      const all = await store.readAudit(0, 100);
      const forged = rechain(all, 5, { approved: true });
      await h.sql(store, `DELETE FROM ${h.tables.audit} WHERE seq >= 5`);
      for (const e of forged) {
        await h.sql(store, `INSERT INTO ${h.tables.audit} (seq, at, kind, actor, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [e.seq, e.at, e.kind, e.actor, canonicalJson(e.data), e.prevHash, e.hash]);
      }
      const m = await messages();
      expect(m).not.toMatch(/hash mismatch|does not link/); // the chain itself is consistent again
      expect(m).toMatch(/entry 10 is not the entry checkpoint 10 signed/);
      expect(await signer.checkpoint()).toBeNull();
    });

    it('a forged checkpoint is detected', async () => {
      await h.sql(store, `UPDATE ${h.tables.checkpoint} SET at = ? WHERE seq = 20`, [at(99_000)]);
      expect(await messages()).toMatch(/checkpoint 20 does not carry the keyserver's signature/);
    });

    it('a row with duplicate keys is detected, whichever reader it aims at', async () => {
      // The hash is over the canonical form of what JSON.parse keeps (the last key), so it matches.
      await h.sql(store, `UPDATE ${h.tables.audit} SET data = ? WHERE seq = 40`, ['{"approved":false,"approved":true,"i":40,"rule_ids":["a"]}']);
      expect(await messages()).toMatch(/entry 40's data is not canonical JSON/);
    });
  });
}

/** The chain an attacker computes after changing entry `from`'s data. */
export function rechain(all: AuditEntry[], from: number, change: Record<string, unknown>): AuditEntry[] {
  const before = all[from - 2];
  const inputs = all.slice(from - 1).map((e, k) => ({ at: e.at, kind: e.kind, actor: e.actor, data: k === 0 ? { ...e.data, ...change } : e.data }));
  return chainEntries(before?.hash ?? GENESIS_HASH, from - 1, inputs);
}
