/**
 * `kss serve --workers N`: the workers' decision writes made by the primary
 * (runtime/server/primary-writes.ts), against a real SQLite store. The two ends talk through a
 * channel that passes each message through v8's serializer, as node:cluster's 'advanced' IPC
 * does; test/server/workers.test.ts runs the same over real worker processes.
 */
import { deserialize, serialize } from 'node:v8';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { PrimaryWriter, WritesThroughPrimary, type WriteMessage } from '../../runtime/server/primary-writes.js';
import { auditHash, GENESIS_HASH } from '../../runtime/audit/chain.js';
import { ConsumeBatcher } from '../../runtime/quota/consume-batch.js';
import { decisionEntryJson } from '../../runtime/audit/decision-entry.js';
import { StoreError, type AuditInput, type KssStore } from '../../runtime/store/types.js';
import { sqliteStores, use, W1 } from '../store/helpers.js';

const stores = sqliteStores();
afterEach(() => stores.cleanup());

/** A worker's `process` and the primary's Worker, joined: each message is serialized and arrives on a later turn. */
function channel(writer: PrimaryWriter) {
  const toWorker = new EventEmitter();
  let connected = true;
  const primaryEnd = {
    isConnected: () => connected,
    send: (m: unknown, _h?: unknown, cb?: (e: Error | null) => void) => {
      const copy = deserialize(serialize(m));
      setImmediate(() => (toWorker.emit('message', copy), cb?.(null)));
      return true;
    },
  };
  const workerEnd = {
    get connected() { return connected; },
    on: (event: string, f: (m: WriteMessage) => void) => (toWorker.on(event, f), workerEnd),
    off: (event: string, f: (m: WriteMessage) => void) => (toWorker.off(event, f), workerEnd),
    send: (m: unknown, _h?: unknown, _o?: unknown, cb?: (e: Error | null) => void) => {
      const copy = deserialize(serialize(m)) as WriteMessage;
      setImmediate(() => (writer.handle(primaryEnd as never, copy), cb?.(null)));
      return true;
    },
  };
  return { worker: new WritesThroughPrimary(workerEnd as never), disconnect: () => (connected = false) };
}

function decisionEntry(i: number): AuditInput {
  const data = { decision_id: `d${i}`, approved: i % 2 === 0, rule_ids: ['a', 'b'], note: 'quotes " and \\ and é' };
  return { at: `2026-01-05T10:30:0${i % 10}.000Z`, kind: 'decision', actor: 'api:t1', data, dataJson: decisionEntryJson(data) };
}

describe('decision writes made by the primary', () => {
  it('counts each request on its own and in order, across two workers, exactly to the limit', async () => {
    const { store } = stores.fresh();
    const writer = new PrimaryWriter(store);
    const [a, b] = [channel(writer).worker, channel(writer).worker];
    // Worker b asks as a server's quota does, through its group commit (whose entries hold callbacks).
    const grouped = new ConsumeBatcher(b);
    const limited = [use('r', 'p', null, 5)];
    const asked = Array.from({ length: 12 }, (_, i) => (i % 2 ? a.tryConsume(limited, W1, 'inst') : grouped.consume(limited, W1, 'inst')));
    const many = await a.tryConsumeMany([{ uses: limited, window: W1, shared: 'inst' }, { uses: [use('other', 'p', 1, null)], window: W1 }]);
    const results = await Promise.all(asked);
    expect(results.filter(Boolean)).toHaveLength(5);
    // Each worker's requests are counted in the order it asked: none refused before one counted.
    for (const side of [0, 1]) {
      const own = results.filter((_, i) => i % 2 === side);
      expect(own).toEqual([...own].sort((x, y) => Number(y) - Number(x)));
    }
    expect(many).toEqual([false, true]);
    expect((await store.listQuota()).map((q) => [q.ruleId, q.dayCount])).toEqual([['other', 1], ['r', 5]]);
    await store.close();
  });

  it('appends one chain for every worker and gives each entry back as the store would, its text written as sent', async () => {
    const { store } = stores.fresh();
    const writer = new PrimaryWriter(store);
    const [a, b] = [channel(writer).worker, channel(writer).worker];
    const inputs = Array.from({ length: 10 }, (_, i) => decisionEntry(i));
    const plain: AuditInput = { at: '2026-01-05T10:31:00.000Z', kind: 'decision', actor: 'api:t2', data: { approved: true } };
    const got = (await Promise.all([a.appendAudit(inputs.slice(0, 5)), b.appendAudit(inputs.slice(5)), a.appendAudit([plain])])).flat();
    const stored = await store.readAudit(0, 100);
    expect(got).toEqual(stored);
    expect(got.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(got[0]!.data).toEqual(inputs[0]!.data);
    expect(got[10]!.data).toEqual({ approved: true });
    expect('dataJson' in got[0]!).toBe(false);
    // One chain, each link the hash of the entry as the worker meant it (its data, not the stand-in).
    stored.forEach((e, i) => {
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : stored[i - 1]!.hash);
      expect(e.hash).toBe(auditHash(e.prevHash, i < 10 ? inputs[i]! : plain));
    });
    await writer.flush();
    await store.close();
  });

  it('a failed write reaches the worker as the store\'s error, with its code', async () => {
    const { store } = stores.fresh();
    const failing = { ...storeMethods(store), appendAudit: async () => { throw new StoreError('unavailable', 'the disk is full'); } } as KssStore;
    const { worker } = channel(new PrimaryWriter(failing));
    const error = await worker.appendAudit([decisionEntry(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'unavailable', message: 'the disk is full' });
    await store.close();
  });

  it('without a primary, or once closed, a write fails as the store being unavailable, at once', async () => {
    const { store } = stores.fresh();
    const { worker, disconnect } = channel(new PrimaryWriter(store));
    const pending = worker.tryConsume([use('r', 'p', null, 5)], W1);
    worker.close();
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
    disconnect();
    await expect(worker.appendAudit([decisionEntry(2)])).rejects.toMatchObject({ code: 'unavailable', message: 'the primary process is gone' });
    await store.close();
  });
});

function storeMethods(store: KssStore): KssStore {
  return new Proxy(store, { get: (t, k) => { const v = (t as never)[k]; return typeof v === 'function' ? (v as Function).bind(t) : v; } });
}
