/**
 * The non-persistent counters of a server with several worker processes (quota_shared): counted
 * in the persistent counters' transaction, reached by clears and policy activations, listed as the
 * instance's memory, dropped with it. Several connections to one file stand for the workers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import { clearEntry, sqliteStores, use, W1, W2, W3 } from './helpers.js';

const stores = sqliteStores();
afterEach(() => stores.cleanup());
const mem = (ruleId: string, perDay: number | null, perHour: number | null = null) => use(ruleId, 'p1', perHour, perDay, false);
const policy = (ruleIds: string[]) => ({ source: '', file: 'keyserver.yml', artifactJson: '{}', sha256: ruleIds.join(), loadedBy: 'test', ruleIds });

describe('SQLite shared in-memory counters', () => {
  it('workers on separate connections count one counter, exactly to its limit, in its hour and day', async () => {
    const { store, dir } = stores.fresh();
    const other = SqliteStore.open(dir, { create: false });
    const got: boolean[] = [];
    for (let i = 0; i < 6; i++) got.push(await (i % 2 ? other : store).tryConsume([mem('m', 4)], W1, 'inst'));
    expect(got).toEqual([true, true, true, true, false, false]);
    expect(await store.tryConsume([mem('m', 4)], W2, 'inst')).toBe(false); // same day
    expect(await other.tryConsume([mem('m', 4)], W3, 'inst')).toBe(true); // a new day
    expect(await store.tryConsume([mem('h', null, 1)], W1, 'inst')).toBe(true);
    expect(await store.tryConsume([mem('h', null, 1)], W1, 'inst')).toBe(false);
    expect(await store.tryConsume([mem('h', null, 1)], W2, 'inst')).toBe(true); // a new hour
    // Persistent counters are the persistent table's, as without `shared`.
    expect(await store.listQuota()).toEqual([]);
    await other.close();
    await store.close();
  });

  it('a persistent and a shared use of one rule set: both or neither', async () => {
    const { store } = stores.fresh();
    expect(await store.tryConsume([use('full', 'p1', null, 1)], W1, 'inst')).toBe(true);
    expect(await store.tryConsume([mem('free', 5), use('full', 'p1', null, 1)], W1, 'inst')).toBe(false);
    expect(await store.listMemoryQuota()).toEqual([]);
    expect(await store.tryConsume([mem('free', 5), use('other', 'p1', null, 1)], W1, 'inst')).toBe(true);
    expect((await store.listMemoryQuota()).map((r) => [r.instanceId, r.ruleId, r.dayCount])).toEqual([['inst', 'free', 1]]);
    expect((await store.listQuota()).map((r) => r.ruleId)).toEqual(['full', 'other']);
    await store.close();
  });

  it('a clear deletes matching shared counters in its transaction and counts them; the epoch moves', async () => {
    const { store } = stores.fresh();
    await store.tryConsume([mem('a', 1)], W1, 'inst');
    await store.tryConsume([use('b', 'p1', null, 1)], W1, 'inst');
    await store.tryConsume([use('a', 'p2', null, 1, false)], W1, 'inst');
    const epoch = (await store.changeStamp()).quotaEpoch;
    expect((await store.clearQuota({ profileId: 'p1' }, clearEntry)).cleared).toBe(2);
    expect((await store.changeStamp()).quotaEpoch).toBe(epoch + 1);
    expect(await store.tryConsume([mem('a', 1)], W1, 'inst')).toBe(true);
    expect((await store.listMemoryQuota()).map((r) => r.profileId)).toEqual(['p1', 'p2']);
    await store.close();
  });

  it('activating a policy drops the shared counters of rule ids it no longer has', async () => {
    const { store } = stores.fresh();
    await store.tryConsume([mem('keep', 5)], W1, 'inst');
    await store.tryConsume([mem('gone', 5)], W1, 'inst');
    await store.activatePolicy(policy(['keep', 'new']));
    expect((await store.listMemoryQuota()).map((r) => r.ruleId)).toEqual(['keep']);
    await store.close();
  });

  it('dropping the instance’s memory drops its shared counters, not another’s mirror', async () => {
    const { store } = stores.fresh();
    await store.tryConsume([mem('m', 5)], W1, 'inst');
    await store.saveMemoryQuota('elsewhere', { replace: false, upserts: [{ ruleId: 'm', profileId: 'p9', hour: W1.hour, hourCount: 1, day: W1.day, dayCount: 1 }], removals: [] });
    await store.dropMemoryQuota('inst');
    expect((await store.listMemoryQuota()).map((r) => r.instanceId)).toEqual(['elsewhere']);
    await store.close();
  });

  it('any interleaving of uses over several connections approves exactly min(uses, limit) (property)', async () => {
    const { store, dir } = stores.fresh();
    const conns = [store, SqliteStore.open(dir, { create: false }), SqliteStore.open(dir, { create: false })];
    let round = 0;
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(2), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 12 }), async (order, limit) => {
      const rule = `r${round++}`;
      let approved = 0;
      for (const c of order) if (await conns[c]!.tryConsume([mem(rule, limit)], W1, 'inst')) approved++;
      expect(approved).toBe(Math.min(order.length, limit));
    }), { numRuns: 60 });
    for (const c of conns) await c.close();
  });
});
