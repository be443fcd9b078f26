import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import { HybridQuota, MemoryCounts } from '../../runtime/store/quota.js';
import { tempDir, use, W1, W2, W3 } from './helpers.js';

const dirs: Array<() => void> = [];
afterEach(() => dirs.splice(0).forEach((f) => f()));
function freshStore(): { store: SqliteStore; dir: string } {
  const t = tempDir();
  dirs.push(t.cleanup);
  return { store: SqliteStore.open(t.dir, { create: true }), dir: t.dir };
}

describe('SQLite tryConsume', () => {
  it('approves up to per_day, then refuses, and a new day starts at zero', async () => {
    const { store } = freshStore();
    const u = [use('r1', 'p1', null, 3)];
    const got = [];
    for (let i = 0; i < 5; i++) got.push(await store.tryConsume(u, W1));
    expect(got).toEqual([true, true, true, false, false]);
    expect(await store.tryConsume(u, W2)).toBe(false); // same day, next hour
    expect(await store.tryConsume(u, W3)).toBe(true);
    expect((await store.listQuota())[0]).toMatchObject({ hour: W3.hour, hourCount: 1, day: W3.day, dayCount: 1 });
    await store.close();
  });

  it('per_hour resets on the next hour while the day keeps counting', async () => {
    const { store } = freshStore();
    const u = [use('r1', 'p1', 1, 10)];
    expect(await store.tryConsume(u, W1)).toBe(true);
    expect(await store.tryConsume(u, W1)).toBe(false);
    expect(await store.tryConsume(u, W2)).toBe(true);
    expect((await store.listQuota())[0]).toMatchObject({ hourCount: 1, dayCount: 2 });
    await store.close();
  });

  it('records nothing when one throttle of the set is at quota', async () => {
    const { store } = freshStore();
    expect(await store.tryConsume([use('full', 'p1', null, 1)], W1)).toBe(true);
    expect(await store.tryConsume([use('free', 'p1', null, 5), use('full', 'p1', null, 1)], W1)).toBe(false);
    expect(await store.listQuota({ ruleId: 'free' })).toEqual([]);
    await store.close();
  });

  it('counts survive closing and reopening the file', async () => {
    const { store, dir } = freshStore();
    await store.tryConsume([use('r', 'p', null, 2)], W1);
    await store.tryConsume([use('r', 'p', null, 2)], W1);
    await store.close();
    const again = SqliteStore.open(dir, { create: false });
    expect(await again.tryConsume([use('r', 'p', null, 2)], W1)).toBe(false);
    await again.close();
  });

  it('decides exactly like the in-memory counters on any sequence (model check)', async () => {
    const windows = [W1, W2, W3];
    const step = fc.record({
      uses: fc.uniqueArray(fc.record({ r: fc.constantFrom('a', 'b', 'c'), p: fc.constantFrom('p1', 'p2'), h: fc.option(fc.integer({ min: 1, max: 3 })), d: fc.option(fc.integer({ min: 1, max: 4 })) }), { selector: (x) => x.r + x.p, maxLength: 3 }),
      w: fc.integer({ min: 0, max: 2 }),
    });
    const { store } = freshStore();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        await store.clearQuota();
        const model = new MemoryCounts();
        let w = 0;
        for (const s of steps) {
          w = Math.max(w, s.w); // time only moves forward
          const uses = s.uses.map((x) => use(x.r, x.p, x.h, x.d));
          expect(await store.tryConsume(uses, windows[w]!)).toBe(model.tryConsume(uses, windows[w]!));
        }
      }),
      { numRuns: 60 },
    );
    await store.close();
  });
});

describe('HybridQuota', () => {
  it('keeps persistent:false counts in memory only, persistent ones in the file', async () => {
    const { store, dir } = freshStore();
    const q = new HybridQuota(store);
    expect(await q.tryConsume([use('mem', 'p', null, 1, false), use('disk', 'p', null, 5, true)], W1)).toBe(true);
    expect(await q.tryConsume([use('mem', 'p', null, 1, false)], W1)).toBe(false);
    await store.close();
    const again = SqliteStore.open(dir, { create: false });
    expect((await again.listQuota()).map((r) => r.ruleId)).toEqual(['disk']);
    const q2 = new HybridQuota(again); // a restarted server: memory starts empty
    expect(await q2.tryConsume([use('mem', 'p', null, 1, false)], W1)).toBe(true);
    await again.close();
  });

  it('releases the in-memory reservation when the persistent part is at quota', async () => {
    const { store } = freshStore();
    const q = new HybridQuota(store);
    await q.tryConsume([use('disk', 'p', null, 1, true)], W1);
    expect(await q.tryConsume([use('mem', 'p', null, 1, false), use('disk', 'p', null, 1, true)], W1)).toBe(false);
    expect(q.memory.list()).toEqual([expect.objectContaining({ ruleId: 'mem', dayCount: 0 })]);
    expect(await q.tryConsume([use('mem', 'p', null, 1, false)], W1)).toBe(true);
    await store.close();
  });

  it('never lets concurrent callers past an in-memory limit', async () => {
    const { store } = freshStore();
    const q = new HybridQuota(store);
    const both = [use('mem', 'p', null, 5, false), use('disk', 'p', null, 100, true)];
    const results = await Promise.all(Array.from({ length: 20 }, () => q.tryConsume(both, W1)));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect((await store.listQuota())[0]!.dayCount).toBe(5);
    await store.close();
  });
});

describe('HybridQuota under any interleaving (property)', () => {
  it('approves exactly min(calls, limits) and both halves count exactly the approvals', async () => {
    const { store } = freshStore();
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), async (s, calls, memLimit, diskLimit) => {
        await store.clearQuota();
        // The real SQLite store behind a scheduled delay, as a networked database would answer.
        const slow = { tryConsume: async (u: Parameters<typeof store.tryConsume>[0], w: typeof W1) => { await s.schedule(Promise.resolve()); return store.tryConsume(u, w); } };
        const q = new HybridQuota(slow);
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
