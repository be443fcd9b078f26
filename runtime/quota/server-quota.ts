/**
 * A running server's quota: `persistent: true` throttles in the store, `persistent: false` ones in
 * this process's memory (SPEC 4.4), one atomic tryConsume over both. Also everything the server
 * keeps in step with other processes, in one place:
 * - clears made elsewhere (a CLI `quota clear`, another cluster instance's API): each one's audit
 *   entry is written in the transaction that moves the store's quota epoch, so when the epoch moves
 *   the server reads the new `quota.clear` entries and clears exactly those in-memory counters;
 * - its own clears, whose entries it then skips;
 * - the mirror of its in-memory counters in the store (written when they changed, at most once a
 *   poll), so that `kss keyserver quota list` and the other instances can list them.
 * Clears and polls run one at a time, so a poll never sees half of this process's own clear.
 *
 * A worker of a multi-process server (`shared`) keeps no counter in memory: every use goes to the
 * store, the non-persistent ones into its shared table, so that all workers count the same ones.
 * Clears and policy activations reach that table in their own transactions, and the primary
 * process drops it at start and clean stop, as a single process starts and ends with empty memory.
 */
import type { ChangeStamp, KssStore } from '../store/types.js';
import { clearedFilter, clearQuota, QUOTA_CLEAR } from './clear.js';
import { ConsumeBatcher } from './consume-batch.js';
import { MemoryQuota } from './memory.js';
import { dropStaleMirrors } from './mirror.js';
import type { AsyncQuotaStore, QuotaFilter, QuotaWindow, ThrottleUse } from './types.js';

const CLEAR_PAGE = 1000;

export class ServerQuota implements AsyncQuotaStore {
  readonly memory = new MemoryQuota({ trackChanges: true });
  private serial: Promise<unknown> = Promise.resolve();
  /** The quota epoch last seen, and the audit seq up to which `quota.clear` entries are applied. */
  private epoch: number | null = null;
  private clearSeq = 0;
  /** Audit seqs of this process's own clears (already applied to memory). */
  private readonly ownClears = new Set<number>();
  /** The store's part of each use, committed in groups (consume-batch.ts). */
  private readonly durable: ConsumeBatcher;

  constructor(
    private readonly store: KssStore,
    readonly instanceId: string,
    private readonly shared = false,
  ) {
    this.durable = new ConsumeBatcher(store);
  }

  /** This process's counters that the store does not hold yet (listing): none for a shared worker. */
  get ownMemory(): { instanceId: string; memory: MemoryQuota } | undefined {
    return this.shared ? undefined : { instanceId: this.instanceId, memory: this.memory };
  }

  async tryConsume(uses: ThrottleUse[], window: QuotaWindow): Promise<boolean> {
    if (this.shared) return this.durable.consume(uses, window, this.instanceId);
    const inMemory = uses.filter((u) => !u.persistent);
    const durable = uses.filter((u) => u.persistent);
    // Check and reserve the in-memory part in one tick (no await between): a concurrent request
    // cannot pass the same limit while the store's transaction below is in flight.
    if (!this.memory.tryConsume(inMemory, window)) return false;
    if (durable.length === 0) return true;
    let ok = false;
    try {
      ok = await this.durable.consume(durable, window);
    } finally {
      if (!ok) this.memory.release(inMemory, window);
    }
    return ok;
  }

  /** This process's own clear (`DELETE /v1/quota`): the store, this memory, and one audit entry. */
  clear(filter: QuotaFilter, actor: string): Promise<number> {
    return this.exclusive(async () => {
      const { cleared, entry } = await clearQuota(this.store, filter, actor, this.memory);
      this.ownClears.add(entry.seq);
      return cleared;
    });
  }

  /** A new policy: drop the in-memory counters of rule ids it no longer has (the store drops its own). */
  retain(ruleIds: Iterable<string>): void {
    this.memory.retain(ruleIds);
  }

  /** Called by each poll with the store's change stamp. Throws when the store cannot be read. */
  sync(stamp: ChangeStamp): Promise<void> {
    return this.exclusive(async () => {
      if (this.epoch === null) await this.start();
      else if (stamp.quotaEpoch !== this.epoch) await this.applyForeignClears();
      this.epoch = stamp.quotaEpoch;
      await this.mirror();
    });
  }

  /** Stops mirroring: this instance's counters end with it. */
  close(): Promise<void> {
    // A shared worker's counters belong to the server and outlive the worker (the primary drops them).
    if (this.shared) return this.exclusive(async () => undefined);
    return this.exclusive(() => this.store.dropMemoryQuota(this.instanceId));
  }

  /**
   * Memory starts empty, so earlier clears do not matter. Mirrored counters of instances that are
   * gone (not online, or this instance's own from an earlier run) are dropped.
   */
  private async start(): Promise<void> {
    this.clearSeq = (await this.store.lastAudit())?.seq ?? 0;
    if (!this.shared) await dropStaleMirrors(this.store, this.instanceId);
  }

  private async applyForeignClears(): Promise<void> {
    for (;;) {
      const entries = await this.store.readAudit(this.clearSeq, CLEAR_PAGE, QUOTA_CLEAR);
      for (const entry of entries) {
        this.clearSeq = entry.seq;
        if (!this.ownClears.delete(entry.seq)) this.memory.clear(clearedFilter(entry.data));
      }
      if (entries.length < CLEAR_PAGE) return;
    }
  }

  private async mirror(): Promise<void> {
    const changes = this.memory.takeChanges();
    if (changes === null) return;
    try {
      await this.store.saveMemoryQuota(this.instanceId, changes);
    } catch (error) {
      // Written again, whole, at the next poll: the mirror never keeps a counter this process dropped.
      this.memory.remirror();
      throw error;
    }
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.serial.then(task, task);
    this.serial = run.catch(() => undefined);
    return run;
  }
}
