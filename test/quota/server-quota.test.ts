/**
 * ServerQuota on a real SQLite store: persistent and in-memory halves of one atomic tryConsume,
 * clears made by other processes applied to memory exactly, and the mirror of in-memory counters.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { clearQuota } from '../../runtime/quota/clear.js';
import { ServerQuota } from '../../runtime/quota/server-quota.js';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import type { KssStore } from '../../runtime/store/types.js';
import { clearEntry, sqliteStores, use, W1 } from '../store/helpers.js';

const stores = sqliteStores();
afterEach(() => stores.cleanup());
const freshStore = () => stores.fresh();
const ALIVE = { host: 'h', version: 'test', policyVersion: null, startedAt: '2026-01-01T00:00:00.000Z', stoppedAt: null };
const beat = (store: KssStore, id: string) => store.heartbeat({ id, ...ALIVE }, new Date().toISOString());

describe('ServerQuota: persistent and in-memory throttles', () => {
  it('keeps persistent:false counts in memory only, persistent ones in the file', async () => {
    const { store, dir } = freshStore();
    const q = new ServerQuota(store, 'i1');
    expect(await q.tryConsume([use('mem', 'p', null, 1, false), use('disk', 'p', null, 5, true)], W1)).toBe(true);
    expect(await q.tryConsume([use('mem', 'p', null, 1, false)], W1)).toBe(false);
    await store.close();
    const again = SqliteStore.open(dir, { create: false });
    expect((await again.listQuota()).map((r) => r.ruleId)).toEqual(['disk']);
    const q2 = new ServerQuota(again, 'i2'); // a restarted server: memory starts empty
    expect(await q2.tryConsume([use('mem', 'p', null, 1, false)], W1)).toBe(true);
    await again.close();
  });

  it('releases the in-memory reservation when the persistent part is at quota', async () => {
    const { store } = freshStore();
    const q = new ServerQuota(store, 'i1');
    await q.tryConsume([use('disk', 'p', null, 1, true)], W1);
    expect(await q.tryConsume([use('mem', 'p', null, 1, false), use('disk', 'p', null, 1, true)], W1)).toBe(false);
    expect(q.memory.list()).toEqual([expect.objectContaining({ ruleId: 'mem', dayCount: 0 })]);
    expect(await q.tryConsume([use('mem', 'p', null, 1, false)], W1)).toBe(true);
    await store.close();
  });

  it('never lets concurrent callers past an in-memory limit', async () => {
    const { store } = freshStore();
    const q = new ServerQuota(store, 'i1');
    const both = [use('mem', 'p', null, 5, false), use('disk', 'p', null, 100, true)];
    const results = await Promise.all(Array.from({ length: 20 }, () => q.tryConsume(both, W1)));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect((await store.listQuota())[0]!.dayCount).toBe(5);
    await store.close();
  });

  it('approves exactly min(calls, limits) under any interleaving, and both halves count exactly the approvals (property)', async () => {
    const { store } = freshStore();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), async (s, calls, memLimit, diskLimit) => {
        await store.clearQuota({}, clearEntry);
        // The real SQLite store behind a scheduled delay, as a networked database would answer.
        const slow: KssStore = Object.assign(Object.create(store) as KssStore, {
          tryConsume: async (u: Parameters<KssStore['tryConsume']>[0], w: typeof W1) => { await s.schedule(Promise.resolve()); return store.tryConsume(u, w); },
        });
        const q = new ServerQuota(slow, 'i1');
        const uses = [use('mem', 'p', null, memLimit, false), use('disk', 'p', null, diskLimit, true)];
        const all = Promise.all(Array.from({ length: calls }, () => q.tryConsume(uses, W1)));
        await s.waitAll();
        const approved = (await all).filter(Boolean).length;
        expect(approved).toBe(Math.min(calls, memLimit, diskLimit));
        expect(q.memory.list()[0]?.dayCount ?? 0).toBe(approved);
        expect((await store.listQuota())[0]?.dayCount ?? 0).toBe(approved);
      }),
      { numRuns: 80 },
    );
    await store.close();
  });
});

describe('ServerQuota: clears', () => {
  it('applies exactly the clears other processes made, and skips its own', async () => {
    const { store, dir } = freshStore();
    const q = new ServerQuota(store, 'i1');
    await q.sync(await store.changeStamp());
    for (const p of ['p1', 'p2', 'p3']) await q.tryConsume([use('mem', p, null, 9, false)], W1);
    const cli = SqliteStore.open(dir, { create: false });
    await clearQuota(cli, { profileId: 'p1' }, 'cli:test');
    await q.sync(await store.changeStamp());
    expect(q.memory.list().map((c) => c.profileId)).toEqual(['p2', 'p3']);
    // Its own clear is applied at once and not again when the poll reads its entry.
    expect(await q.clear({ profileId: 'p2' }, 'api:t')).toBe(1);
    await q.tryConsume([use('mem', 'p2', null, 9, false)], W1);
    await q.sync(await store.changeStamp());
    expect(q.memory.list().map((c) => c.profileId)).toEqual(['p2', 'p3']);
    // An entry written by kss 0.1 (camelCase) still says which counters.
    await cli.clearQuota({ ruleId: 'none' }, () => ({ at: 'x', kind: 'quota.clear', actor: 'old', data: { profileId: 'p3', cleared: 0 } }));
    await q.sync(await store.changeStamp());
    expect(q.memory.list().map((c) => c.profileId)).toEqual(['p2']);
    const [entry] = (await store.readAudit(0, 10, 'quota.clear')).filter((e) => e.actor === 'api:t');
    expect(entry!.data).toEqual({ profile_id: 'p2', cleared: 1 });
    await cli.close();
    await store.close();
  });
});

describe('ServerQuota: the mirror of in-memory counters', () => {
  it('writes its counters when they changed, drops what it dropped, and forgets them when it stops', async () => {
    const { store, dir } = freshStore();
    const q = new ServerQuota(store, 'i1');
    await beat(store, 'i1');
    await q.sync(await store.changeStamp());
    await q.tryConsume([use('mem', 'p1', null, 9, false), use('mem2', 'p1', null, 9, false)], W1);
    await q.tryConsume([use('disk', 'p1', null, 9, true)], W1);
    await q.sync(await store.changeStamp());
    const cli = SqliteStore.open(dir, { create: false });
    expect((await cli.listMemoryQuota()).map((r) => `${r.instanceId}/${r.ruleId}/${r.profileId}:${r.dayCount}`)).toEqual(['i1/mem/p1:1', 'i1/mem2/p1:1']);
    await clearQuota(cli, { ruleId: 'mem2' }, 'cli:test');
    await q.sync(await store.changeStamp());
    expect((await cli.listMemoryQuota()).map((r) => r.ruleId)).toEqual(['mem']);
    await q.close();
    expect(await cli.listMemoryQuota()).toEqual([]);
    await cli.close();
    await store.close();
  });

  it('on start, drops the mirrors of instances that are gone', async () => {
    const { store } = freshStore();
    await beat(store, 'alive');
    await store.saveMemoryQuota('alive', { replace: false, removals: [], upserts: [{ ruleId: 'r', profileId: 'p', hour: W1.hour, hourCount: 1, day: W1.day, dayCount: 1 }] });
    await store.saveMemoryQuota('dead', { replace: false, removals: [], upserts: [{ ruleId: 'r', profileId: 'p', hour: W1.hour, hourCount: 1, day: W1.day, dayCount: 1 }] });
    await new ServerQuota(store, 'new').sync(await store.changeStamp());
    expect((await store.listMemoryQuota()).map((r) => r.instanceId)).toEqual(['alive']);
    await store.close();
  });

  it('writes everything again after a failed write', async () => {
    const { store } = freshStore();
    let failing = true;
    const flaky: KssStore = Object.assign(Object.create(store) as KssStore, {
      saveMemoryQuota: async (id: string, changes: Parameters<KssStore['saveMemoryQuota']>[1]) => {
        if (failing) throw new Error('database away');
        return store.saveMemoryQuota(id, changes);
      },
    });
    const q = new ServerQuota(flaky, 'i1');
    await beat(store, 'i1');
    await q.sync(await store.changeStamp());
    await q.tryConsume([use('mem', 'p1', null, 9, false)], W1);
    await expect(q.sync(await store.changeStamp())).rejects.toThrow(/database away/);
    failing = false;
    await q.sync(await store.changeStamp());
    expect((await store.listMemoryQuota()).map((r) => r.profileId)).toEqual(['p1']);
    await store.close();
  });
});
