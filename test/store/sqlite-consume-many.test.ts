/** Group commit of quota uses: tryConsumeMany decides as tryConsume one request after another. */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ConsumeRequest } from '../../runtime/store/types.js';
import { ConsumeBatcher } from '../../runtime/quota/consume-batch.js';
import { sqliteStores, use, W1, W2 } from './helpers.js';

const stores = sqliteStores();
afterEach(() => stores.cleanup());

const request = fc.record({
  uses: fc.uniqueArray(fc.record({ rule: fc.constantFrom('a', 'b', 'c'), limit: fc.integer({ min: 0, max: 3 }), persistent: fc.boolean() }), { maxLength: 3, selector: (u) => `${u.rule}${u.persistent}` }),
  second: fc.boolean(),
  shared: fc.boolean(),
});

function toRequest(r: { uses: Array<{ rule: string; limit: number; persistent: boolean }>; second: boolean; shared: boolean }): ConsumeRequest {
  return { uses: r.uses.map((u) => use(u.rule, 'p', null, u.limit, u.persistent)), window: r.second ? W2 : W1, ...(r.shared ? { shared: 'inst' } : {}) };
}

describe('SQLite tryConsumeMany', () => {
  it('answers and counts exactly as the same requests one by one (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(request, { maxLength: 25 }), async (raw) => {
      const requests = raw.map(toRequest);
      const one = stores.fresh().store;
      const many = stores.fresh().store;
      const expected: boolean[] = [];
      for (const r of requests) expected.push(await one.tryConsume(r.uses, r.window, r.shared));
      expect(await many.tryConsumeMany(requests)).toEqual(expected);
      expect(await many.listQuota()).toEqual(await one.listQuota());
      expect(await many.listMemoryQuota()).toEqual(await one.listMemoryQuota());
      await one.close();
      await many.close();
      stores.cleanup();
    }), { numRuns: 60 });
  });

  it('a refused request with several uses rolls back only itself', async () => {
    const { store } = stores.fresh();
    const got = await store.tryConsumeMany([
      { uses: [use('x', 'p', null, 1)], window: W1 },
      { uses: [use('y', 'p', null, 5), use('x', 'p', null, 1)], window: W1 },
      { uses: [use('y', 'p', null, 5)], window: W1 },
    ]);
    expect(got).toEqual([true, false, true]);
    expect((await store.listQuota()).map((q) => [q.ruleId, q.dayCount])).toEqual([['x', 1], ['y', 1]]);
    await store.close();
  });

  it('the batcher groups the requests of one turn into one call and answers each', async () => {
    const { store } = stores.fresh();
    let calls = 0;
    const many = store.tryConsumeMany.bind(store);
    store.tryConsumeMany = (r) => (calls++, many(r));
    const b = new ConsumeBatcher(store);
    const got = await Promise.all([1, 2, 3].map(() => b.consume([use('z', 'p', null, 2)], W1)));
    expect(got).toEqual([true, true, false]);
    expect(calls).toBe(1);
    expect(await b.consume([use('z', 'p', null, 2)], W2)).toBe(false); // same day
    expect(calls).toBe(2);
    await store.close();
  });
});
