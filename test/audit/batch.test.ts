/** AuditBatcher: group commit, at most one append in flight, each caller resumes after its commit. */
import { describe, expect, it } from 'vitest';
import { AuditBatcher } from '../../runtime/audit/batch.js';
import { chainEntries, GENESIS_HASH } from '../../runtime/audit/chain.js';
import type { AuditEntry, AuditInput } from '../../runtime/store/types.js';

const input = (i: number): AuditInput => ({ at: `t${i}`, kind: 'decision', actor: 'api:x', data: { i } });

/** An append that records its batches and waits until `release` is called for each. */
function slowStore() {
  const batches: number[][] = [];
  const waiting: Array<() => void> = [];
  let seq = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const append = async (inputs: AuditInput[]): Promise<AuditEntry[]> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    batches.push(inputs.map((x) => x.data.i as number));
    await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight--;
    const entries = chainEntries(GENESIS_HASH, seq, inputs);
    seq += inputs.length;
    return entries;
  };
  return { append, batches, release: () => waiting.shift()?.(), maxInFlight: () => maxInFlight };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AuditBatcher', () => {
  it('appends what is queued in one tick and the next together, and what comes meanwhile in the next append', async () => {
    const store = slowStore();
    const batcher = new AuditBatcher(store.append);
    const first = [0, 1].map((i) => batcher.add(input(i)));
    await tick();
    // Not yet: what the next turn reads joins this append.
    expect(store.batches).toEqual([]);
    first.push(batcher.add(input(2)));
    await tick();
    expect(store.batches).toEqual([[0, 1, 2]]);
    const second = [3, 4].map((i) => batcher.add(input(i)));
    await tick();
    expect(store.batches).toHaveLength(1); // one append in flight at most
    store.release();
    expect((await Promise.all(first)).map((e) => e.seq)).toEqual([1, 2, 3]);
    await tick();
    expect(store.batches).toEqual([[0, 1, 2], [3, 4]]);
    store.release();
    expect((await Promise.all(second)).map((e) => e.seq)).toEqual([4, 5]);
    expect(store.maxInFlight()).toBe(1);
  });

  it('splits a long queue into appends of at most maxBatch entries', async () => {
    const store = slowStore();
    const batcher = new AuditBatcher(store.append, 2);
    const all = [0, 1, 2, 3, 4].map((i) => batcher.add(input(i)));
    const flushed = batcher.flush();
    for (let i = 0; i < 3; i++) {
      await tick();
      store.release();
    }
    await flushed;
    expect(store.batches).toEqual([[0, 1], [2, 3], [4]]);
    expect((await Promise.all(all)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('fails every caller of a failed append, and goes on with the next', async () => {
    let fail = true;
    const batcher = new AuditBatcher(async (inputs) => {
      if (fail) throw new Error('database away');
      return chainEntries(GENESIS_HASH, 0, inputs);
    });
    const failed = [batcher.add(input(0)), batcher.add(input(1))];
    await expect(Promise.all(failed)).rejects.toThrow('database away');
    await expect(failed[1]).rejects.toThrow('database away');
    fail = false;
    expect((await batcher.add(input(2))).seq).toBe(1);
    await batcher.flush();
  });
});
