/**
 * The behaviour every KssStore must have, run against each implementation (SQLite, MySQL): the
 * server and the admin commands only see the interface, so both stores must answer alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chainVerifier } from '../../runtime/audit/chain.js';
import { canonicalJson } from '../../runtime/json/canonical.js';
import { generateIdentity } from '../../runtime/identity/keys.js';
import { MemoryQuota } from '../../runtime/quota/memory.js';
import type { ThrottleUse } from '../../runtime/quota/types.js';
import { StoreError, type AuditInput, type KssStore, type NewPolicyVersion } from '../../runtime/store/types.js';
import { windowAt } from '../support/time.js';
import { fourEyesContract } from './four-eyes.js';

export interface ContractHarness {
  /** A new, empty store (tables created, no keyserver). */
  fresh(): Promise<KssStore>;
  /** Opens the same storage as `store` again (as a restart, or another instance, would). */
  reopen(store: KssStore): Promise<KssStore>;
  /** Removes everything `fresh` made. */
  cleanup(): Promise<void>;
  /**
   * The store keeps the public key only (MySQL: each cluster instance keeps the private key in
   * its data directory), so `getIdentity` answers without `privateKey`.
   */
  publicKeyOnly?: boolean;
}

const W1 = windowAt('2026-01-05T10:30:00Z');
const W2 = windowAt('2026-01-05T11:30:00Z');
const W3 = windowAt('2026-01-06T00:30:00Z');

const clearEntry = (deleted: number): AuditInput => ({ at: '2026-01-05T12:00:00.000Z', kind: 'quota.clear', actor: 'test', data: { cleared: deleted } });
const counter = (ruleId: string, profileId: string, dayCount: number) => ({ ruleId, profileId, hour: W1.hour, hourCount: dayCount, day: W1.day, dayCount });

const use = (ruleId: string, profileId: string, perHour: number | null, perDay: number | null): ThrottleUse =>
  ({ ruleId, profileId, perHour, perDay, persistent: true });

const policy = (n: number, ruleIds: string[]): NewPolicyVersion => ({
  source: `# policy ${n}\ndecrypt: [[{rule: approve-rule}]]\n`, file: `p${n}.yml`, artifactJson: `{"n":${n}}`,
  sha256: String(n).repeat(64).slice(0, 64), ruleIds, loadedBy: 'cli:test@host',
});

export function describeStoreContract(name: string, harness: () => ContractHarness): void {
  describe(`store contract: ${name}`, () => {
    let h: ContractHarness;
    const opened: KssStore[] = [];
    const fresh = async () => {
      const s = await h.fresh();
      opened.push(s);
      return s;
    };

    beforeAll(() => {
      h = harness();
    });
    afterAll(async () => {
      for (const s of opened) await s.close().catch(() => undefined);
      await h.cleanup();
    });

    it('starts empty and disabled', async () => {
      const s = await fresh();
      expect(await s.getIdentity()).toBeNull();
      expect(await s.activePolicy()).toBeNull();
      expect(await s.listPolicies()).toEqual([]);
      expect(await s.lastAudit()).toBeNull();
      expect(await s.changeStamp()).toEqual({ policyVersion: 0, enabled: false, quotaEpoch: 0, tokenEpoch: 0 });
    });

    it('holds one identity and refuses a second', async () => {
      const s = await fresh();
      // A real key: a store that keeps the private key in a key file checks it against the public one.
      const id = generateIdentity(new Date('2026-01-01T00:00:00.000Z'));
      await s.createIdentity(id);
      const { privateKey: _secret, ...publicPart } = id;
      expect(await s.getIdentity()).toStrictEqual(h.publicKeyOnly ? publicPart : id);
      const second = s.createIdentity({ ...id, id: 'ks_other' });
      await expect(second).rejects.toBeInstanceOf(StoreError);
      await expect(second).rejects.toMatchObject({ code: 'exists' });
      expect((await s.getIdentity())?.id).toBe(id.id);
    });

    it('activates policy versions in order, keeping counters of unchanged rule ids only', async () => {
      const s = await fresh();
      const a = await s.activatePolicy(policy(1, ['r1', 'r2']));
      expect(a.policy).toMatchObject({ version: 1, file: 'p1.yml', artifactJson: '{"n":1}', loadedBy: 'cli:test@host' });
      expect(a.carried).toEqual([]);
      await s.tryConsume([use('r1', 'p', null, 5), use('r2', 'p', null, 5)], W1);
      const before = await s.changeStamp();
      const b = await s.activatePolicy(policy(2, ['r1', 'r3']));
      expect(b).toMatchObject({ carried: ['r1'], reset: ['r2'] });
      expect(b.policy.version).toBe(2);
      expect((await s.listQuota()).map((q) => q.ruleId)).toEqual(['r1']);
      const after = await s.changeStamp();
      expect(after.policyVersion).toBe(2);
      expect(after.quotaEpoch).toBeGreaterThan(before.quotaEpoch);
      expect((await s.activePolicy())?.source).toContain('policy 2');
      expect((await s.listPolicies()).map((p) => p.version)).toEqual([2, 1]);
      const c = await s.activatePolicy(policy(3, ['r1']));
      expect(c).toMatchObject({ carried: ['r1'], reset: [] });
      expect((await s.changeStamp()).quotaEpoch).toBe(after.quotaEpoch);
    });

    it('reports the enabled flag in the change stamp', async () => {
      const s = await fresh();
      await s.setEnabled(true);
      expect((await s.changeStamp()).enabled).toBe(true);
      await s.setEnabled(false);
      expect((await s.changeStamp()).enabled).toBe(false);
    });

    it('consumes up to per_day and per_hour, and counts start again in a new hour or day', async () => {
      const s = await fresh();
      const u = [use('day', 'p1', 2, 3)];
      expect(await s.tryConsume(u, W1)).toBe(true);
      expect(await s.tryConsume(u, W1)).toBe(true);
      expect(await s.tryConsume(u, W1)).toBe(false); // per_hour 2
      expect(await s.tryConsume(u, W2)).toBe(true); // new hour, day count 3
      expect(await s.tryConsume(u, W2)).toBe(false); // per_day 3
      expect(await s.tryConsume(u, W3)).toBe(true); // new day
      expect(await s.listQuota()).toEqual([{ ruleId: 'day', profileId: 'p1', hour: W3.hour, hourCount: 1, day: W3.day, dayCount: 1 }]);
      expect(await s.tryConsume([], W1)).toBe(true);
    });

    it('records all uses of a rule set or none', async () => {
      const s = await fresh();
      expect(await s.tryConsume([use('b', 'p', null, 1)], W1)).toBe(true);
      expect(await s.tryConsume([use('a', 'p', null, 5), use('b', 'p', null, 1)], W1)).toBe(false);
      expect(await s.listQuota({ ruleId: 'a' })).toEqual([]);
    });

    it('lists and clears counters by profile and rule id', async () => {
      const s = await fresh();
      for (const [r, p] of [['r1', 'p1'], ['r1', 'p2'], ['r2', 'p1']] as const) await s.tryConsume([use(r, p, null, 9)], W1);
      expect((await s.listQuota({ profileId: 'p1' })).map((q) => q.ruleId)).toEqual(['r1', 'r2']);
      expect((await s.listQuota({ ruleId: 'r1' })).map((q) => q.profileId)).toEqual(['p1', 'p2']);
      const epoch = (await s.changeStamp()).quotaEpoch;
      expect((await s.clearQuota({ profileId: 'p1', ruleId: 'r2' }, clearEntry)).cleared).toBe(1);
      expect((await s.clearQuota({ profileId: 'p1' }, clearEntry)).cleared).toBe(1);
      expect((await s.changeStamp()).quotaEpoch).toBe(epoch + 2);
      expect((await s.clearQuota({}, clearEntry)).cleared).toBe(1);
      expect(await s.listQuota()).toEqual([]);
    });

    it('writes a clear\'s audit entry with it, chained like any other', async () => {
      const s = await fresh();
      await s.tryConsume([use('r1', 'p1', null, 9), use('r2', 'p1', null, 9)], W1);
      await s.appendAudit([{ at: 'x', kind: 'decision', actor: 'a', data: {} }]);
      const { cleared, entry } = await s.clearQuota({ profileId: 'p1' }, (n) => ({ ...clearEntry(n), data: { profile_id: 'p1', cleared: n } }));
      expect(cleared).toBe(2);
      expect(entry).toMatchObject({ seq: 2, kind: 'quota.clear', data: { profile_id: 'p1', cleared: 2 } });
      expect(await s.readAudit(0, 10, 'quota.clear')).toEqual([entry]);
      const v = chainVerifier();
      v.add(await s.readAudit(0, 10));
      expect(v.problems).toEqual([]);
    });

    it('a limit of 0 never approves, even without a counter', async () => {
      const s = await fresh();
      expect(await s.tryConsume([use('z', 'p', 0, null)], W1)).toBe(false);
      expect(await s.tryConsume([use('ok', 'p', null, 5), use('z', 'p', null, 0)], W1)).toBe(false);
      expect(await s.listQuota()).toEqual([]);
    });

    it('counts a counter stored before SPEC 4.6 (the hour named by local time alone) in that local hour', async () => {
      const s = await fresh();
      const ny = (iso: string) => windowAt(iso, 'America/New_York');
      const w = ny('2026-07-15T10:40:00-04:00');
      expect(w).toMatchObject({ hour: '2026-07-15T10-04:00', legacyHour: '2026-07-15T10' });
      // Counters written by an older kss, as clone-db or an upgrade carries them over.
      await s.tryConsume([use('r', 'p', null, 9)], { ...w, hour: w.legacyHour });
      await s.tryConsume([use('r', 'p', null, 9)], { ...w, hour: w.legacyHour });
      expect(await s.tryConsume([use('r', 'p', 2, null)], w)).toBe(false);
      expect(await s.tryConsume([use('r', 'p', 3, null), use('other', 'p', null, 9)], w)).toBe(true);
      expect((await s.listQuota({ ruleId: 'r' }))[0]).toMatchObject({ hour: w.hour, hourCount: 3, dayCount: 3 });
      expect(await s.tryConsume([use('r', 'p', 1, null)], ny('2026-07-15T11:00:00-04:00'))).toBe(true);
    });

    it('counts the repeated hour of a fall-back as another hour (SPEC 4.6)', async () => {
      const s = await fresh();
      const ny = (iso: string) => windowAt(iso, 'America/New_York');
      for (const u of [[use('h', 'p', 1, null)], [use('h2', 'p', 1, null), use('h3', 'p', 1, null)]]) {
        expect(await s.tryConsume(u, ny('2026-11-01T01:30:00-04:00'))).toBe(true);
        expect(await s.tryConsume(u, ny('2026-11-01T01:10:00-05:00'))).toBe(true);
        expect(await s.tryConsume(u, ny('2026-11-01T01:40:00-05:00'))).toBe(false);
      }
    });

    it('mirrors the in-memory counters of each instance', async () => {
      const s = await fresh();
      await s.saveMemoryQuota('i1', { replace: false, removals: [], upserts: [counter('r1', 'p1', 1), counter('r1', 'p2', 2)] });
      await s.saveMemoryQuota('i2', { replace: false, removals: [], upserts: [counter('r1', 'p1', 5)] });
      expect((await s.listMemoryQuota()).map((r) => `${r.ruleId}/${r.profileId}@${r.instanceId}:${r.dayCount}`)).toEqual(['r1/p1@i1:1', 'r1/p1@i2:5', 'r1/p2@i1:2']);
      await s.saveMemoryQuota('i1', { replace: false, removals: [{ ruleId: 'r1', profileId: 'p2' }], upserts: [counter('r1', 'p1', 3)] });
      expect(await s.listMemoryQuota({ profileId: 'p1' })).toEqual([{ ...counter('r1', 'p1', 3), instanceId: 'i1' }, { ...counter('r1', 'p1', 5), instanceId: 'i2' }]);
      await s.saveMemoryQuota('i2', { replace: true, removals: [], upserts: [counter('r2', 'p9', 1)] });
      expect((await s.listMemoryQuota({ ruleId: 'r2' })).map((r) => r.instanceId)).toEqual(['i2']);
      await s.dropMemoryQuota('i1');
      expect((await s.listMemoryQuota()).map((r) => `${r.ruleId}@${r.instanceId}`)).toEqual(['r2@i2']);
    });

    it('creates, finds, lists and revokes tokens', async () => {
      const s = await fresh();
      const t = { id: 'tok1', hash: 'a'.repeat(64), role: 'client' as const, label: 'ci', createdAt: '2026-01-01T00:00:00.000Z' };
      await s.createToken(t);
      await s.createToken({ ...t, id: 'tok2', hash: 'b'.repeat(64), role: 'admin' });
      expect(await s.findToken('a'.repeat(64))).toEqual({ ...t, revokedAt: null });
      expect((await s.listTokens()).map((x) => x.id)).toEqual(['tok1', 'tok2']);
      const epoch = (await s.changeStamp()).tokenEpoch;
      expect(await s.revokeToken('tok1', '2026-01-02T00:00:00.000Z')).toBe(true);
      expect(await s.revokeToken('tok1', '2026-01-03T00:00:00.000Z')).toBe(false);
      expect(await s.revokeToken('nope', '2026-01-03T00:00:00.000Z')).toBe(false);
      expect(await s.findToken('a'.repeat(64))).toBeNull();
      expect((await s.listTokens())[0]!.revokedAt).toBe('2026-01-02T00:00:00.000Z');
      expect((await s.changeStamp()).tokenEpoch).toBe(epoch + 1);
    });

    it('keeps the audit log as one verifiable chain, read in pages', async () => {
      const s = await fresh();
      const mk = (i: number) => ({ at: `2026-01-01T00:00:0${i % 10}.000Z`, kind: 'decision', actor: 'api:t', data: { i, nested: { ok: true } } });
      const first = await s.appendAudit([mk(1), mk(2)]);
      expect(first.map((e) => e.seq)).toEqual([1, 2]);
      expect(first[1]!.prevHash).toBe(first[0]!.hash);
      // Text the hash must see byte for byte alike everywhere: non-ASCII, quotes, escapes, newlines.
      const odd = { at: '2026-01-01T00:00:03.000Z', kind: 'decision', actor: 'api:ü', data: { i: 3, s: 'ünïcødé 🔑 "q" \\ \n\t\u0000 end' } };
      const [third] = await s.appendAudit([odd]);
      expect(third).toMatchObject({ seq: 3, prevHash: first[1]!.hash });
      expect(await s.appendAudit([])).toEqual([]);
      const v = chainVerifier();
      v.add(await s.readAudit(0, 2));
      v.add(await s.readAudit(2, 10));
      expect(v.count).toBe(3);
      expect(v.problems).toEqual([]);
      expect((await s.lastAudit())?.seq).toBe(3);
      expect((await s.readAudit(2, 10))[0]).toEqual(third);
    });

    it('appends batches of every size as one chain, each row as read back, a writer\'s dataJson as the data text', async () => {
      const s = await fresh();
      // Sizes around the SQLite store's multi-row INSERT buckets (1, 4, 16, 64, 256).
      const sizes = [1, 3, 4, 5, 17, 63, 64, 65, 300];
      let n = 0;
      const written = [];
      for (const size of sizes) {
        const inputs: AuditInput[] = Array.from({ length: size }, () => {
          const data = { n: ++n, z: 'ü', a: [n % 3] };
          // Every other entry brings its canonical text, as a server's decision entries do.
          return n % 2 ? { at: `2026-01-01T00:00:00.${String(n % 1000).padStart(3, '0')}Z`, kind: 'decision', actor: 'api:t', data, dataJson: canonicalJson(data) } : { at: 'x', kind: 'k', actor: 'a', data };
        });
        const entries = await s.appendAudit(inputs);
        expect(entries.map((e) => e.seq)).toEqual(inputs.map((_, i) => n - size + 1 + i));
        for (const e of entries) expect(e).not.toHaveProperty('dataJson');
        written.push(...entries);
      }
      const read = await s.readAudit(0, 1000);
      expect(read).toEqual(written);
      const v = chainVerifier();
      v.add(read);
      expect(v.problems).toEqual([]);
      expect(v.count).toBe(n);
    });

    it('keeps checkpoints by seq (the first for a seq stays), and reads links without the entries', async () => {
      const s = await fresh();
      expect(await s.lastCheckpoint()).toBeNull();
      const entries = await s.appendAudit([1, 2, 3].map((i) => ({ at: 'x', kind: 'k', actor: 'a', data: { i } })));
      expect(await s.readAuditLinks(1, 10)).toEqual(entries.slice(1).map((e) => ({ seq: e.seq, prevHash: e.prevHash, hash: e.hash })));
      const cp = (seq: number, sig: string) => ({ seq, hash: entries[seq - 1]!.hash, at: `2026-01-01T00:00:0${seq}.000Z`, signature: sig });
      await s.addCheckpoint(cp(3, 'c3'));
      await s.addCheckpoint(cp(1, 'c1'));
      await s.addCheckpoint(cp(3, 'another instance, later'));
      expect(await s.readCheckpoints(0, 10)).toEqual([cp(1, 'c1'), cp(3, 'c3')]);
      expect(await s.readCheckpoints(1, 10)).toEqual([cp(3, 'c3')]);
      expect(await s.readCheckpoints(0, 1)).toEqual([cp(1, 'c1')]);
      expect(await s.lastCheckpoint()).toEqual(cp(3, 'c3'));
    });

    it('records instance heartbeats with the policy version each runs, oldest start first', async () => {
      const s = await fresh();
      const i = { id: 'i1', host: 'h1', version: '0.1.0', policyVersion: null, startedAt: '2026-01-01T00:00:00.000Z', stoppedAt: null };
      await s.heartbeat({ ...i, id: 'i2', startedAt: '2026-01-01T00:00:01.000Z' }, '2026-01-01T00:00:02.000Z');
      await s.heartbeat(i, '2026-01-01T00:00:01.000Z');
      await s.heartbeat({ ...i, policyVersion: 3, stoppedAt: '2026-01-01T00:00:02.000Z' }, '2026-01-01T00:00:02.000Z');
      expect(await s.listInstances()).toStrictEqual([
        { ...i, policyVersion: 3, stoppedAt: '2026-01-01T00:00:02.000Z', lastHeartbeat: '2026-01-01T00:00:02.000Z' },
        { ...i, id: 'i2', startedAt: '2026-01-01T00:00:01.000Z', lastHeartbeat: '2026-01-01T00:00:02.000Z' },
      ]);
    });

    it('forgets a removed instance, and says whether there was one', async () => {
      const s = await fresh();
      const i = { id: 'i1', host: 'h1', version: '0.1.0', policyVersion: 1, startedAt: '2026-01-01T00:00:00.000Z', stoppedAt: null };
      await s.heartbeat(i, '2026-01-01T00:00:01.000Z');
      await s.heartbeat({ ...i, id: 'i2' }, '2026-01-01T00:00:01.000Z');
      expect(await s.removeInstance('i1')).toBe(true);
      expect(await s.removeInstance('i1')).toBe(false);
      expect((await s.listInstances()).map((x) => x.id)).toEqual(['i2']);
      // A removed instance that is still running comes back with its next heartbeat, which also
      // clears a clean stop recorded before (a restart).
      await s.heartbeat({ ...i, stoppedAt: '2026-01-01T00:00:05.000Z' }, '2026-01-01T00:00:05.000Z');
      await s.heartbeat(i, '2026-01-01T00:00:06.000Z');
      expect((await s.listInstances()).map((x) => [x.id, x.stoppedAt])).toEqual([['i1', null], ['i2', null]]);
    });

    it('keeps everything across a reopen', async () => {
      const s = await fresh();
      await s.tryConsume([use('r', 'p', null, 2)], W1);
      await s.setEnabled(true);
      await s.appendAudit([{ at: 'x', kind: 'k', actor: 'a', data: {} }]);
      const again = await h.reopen(s);
      opened.push(again);
      expect(await again.tryConsume([use('r', 'p', null, 2)], W1)).toBe(true);
      expect(await again.tryConsume([use('r', 'p', null, 2)], W1)).toBe(false);
      expect((await again.changeStamp()).enabled).toBe(true);
      expect((await again.lastAudit())?.seq).toBe(1);
    });

    it('decides every sequence of uses exactly like the in-memory model (property)', async () => {
      const s = await fresh();
      const rules = ['ra', 'rb'];
      const windows = [W1, W2, W3];
      const op = fc.record({
        rules: fc.subarray(rules, { minLength: 1 }),
        profile: fc.constantFrom('p1', 'p2'),
        window: fc.integer({ min: 0, max: 2 }),
      });
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
          // Each run gets its own rule ids so runs do not see each other's counts.
          const prefix = `run${run++}-`;
          const model = new MemoryQuota();
          const limits: Record<string, [number, number]> = { ra: [2, 3], rb: [1, 4] };
          let w = 0;
          for (const o of ops) {
            w = Math.max(w, o.window); // time only moves forward
            const uses = o.rules.map((r) => use(prefix + r, o.profile, limits[r]![0], limits[r]![1]));
            expect(await s.tryConsume(uses, windows[w]!)).toBe(model.tryConsume(uses, windows[w]!));
          }
          const ours = (await s.listQuota()).filter((q) => q.ruleId.startsWith(prefix));
          expect(ours).toEqual(model.list());
        }),
        { numRuns: 25 },
      );
    });

    fourEyesContract(fresh, async (s) => {
      const again = await h.reopen(s);
      opened.push(again);
      return again;
    });
  });
}
