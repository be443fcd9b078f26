/**
 * The server's quota: persistent throttles in the store, `persistent: false` throttles in this
 * process's memory (SPEC §4.4), one atomic tryConsume over both.
 */
import type { AsyncQuotaStore, QuotaWindow, ThrottleUse } from '../evaluator/types.js';
import type { KssStore, QuotaFilter, StoredQuota } from './types.js';

interface Bucket {
  hour: string;
  hourCount: number;
  day: string;
  dayCount: number;
}

/** In-memory counters with separate check / record / release, so a caller can reserve first. */
export class MemoryCounts {
  private readonly buckets = new Map<string, Bucket & { ruleId: string; profileId: string }>();

  private key(u: { ruleId: string; profileId: string }): string {
    return `${u.ruleId}\u0000${u.profileId}`;
  }

  check(uses: ThrottleUse[], w: QuotaWindow): boolean {
    for (const u of uses) {
      const b = this.buckets.get(this.key(u));
      const h = b && b.hour === w.hour ? b.hourCount : 0;
      const d = b && b.day === w.day ? b.dayCount : 0;
      if ((u.perHour !== null && h >= u.perHour) || (u.perDay !== null && d >= u.perDay)) return false;
    }
    return true;
  }

  record(uses: ThrottleUse[], w: QuotaWindow): void {
    for (const u of uses) {
      const k = this.key(u);
      const b = this.buckets.get(k);
      const h = b && b.hour === w.hour ? b.hourCount : 0;
      const d = b && b.day === w.day ? b.dayCount : 0;
      this.buckets.set(k, { ruleId: u.ruleId, profileId: u.profileId, hour: w.hour, hourCount: h + 1, day: w.day, dayCount: d + 1 });
    }
  }

  /** Undoes a `record` in the same window (a reservation whose persistent half was refused). */
  release(uses: ThrottleUse[], w: QuotaWindow): void {
    for (const u of uses) {
      const b = this.buckets.get(this.key(u));
      if (!b) continue;
      if (b.hour === w.hour && b.hourCount > 0) b.hourCount--;
      if (b.day === w.day && b.dayCount > 0) b.dayCount--;
    }
  }

  tryConsume(uses: ThrottleUse[], w: QuotaWindow): boolean {
    if (!this.check(uses, w)) return false;
    this.record(uses, w);
    return true;
  }

  list(filter: QuotaFilter = {}): StoredQuota[] {
    return [...this.buckets.values()]
      .filter((b) => (filter.ruleId === undefined || b.ruleId === filter.ruleId) && (filter.profileId === undefined || b.profileId === filter.profileId))
      .map((b) => ({ ...b }))
      .sort((a, b) => (a.ruleId === b.ruleId ? cmp(a.profileId, b.profileId) : cmp(a.ruleId, b.ruleId)));
  }

  clear(filter: QuotaFilter = {}): number {
    let n = 0;
    for (const [k, b] of this.buckets) {
      if ((filter.ruleId === undefined || b.ruleId === filter.ruleId) && (filter.profileId === undefined || b.profileId === filter.profileId)) {
        this.buckets.delete(k);
        n++;
      }
    }
    return n;
  }

  /** Drops counters of rule ids a new policy no longer has (same rule as the store's activatePolicy). */
  retain(ruleIds: Iterable<string>): void {
    const keep = new Set(ruleIds);
    for (const [k, b] of this.buckets) if (!keep.has(b.ruleId)) this.buckets.delete(k);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class HybridQuota implements AsyncQuotaStore {
  constructor(
    private readonly store: Pick<KssStore, 'tryConsume'>,
    readonly memory = new MemoryCounts(),
  ) {}

  async tryConsume(uses: ThrottleUse[], window: QuotaWindow): Promise<boolean> {
    const mem = uses.filter((u) => !u.persistent);
    const durable = uses.filter((u) => u.persistent);
    // Check and reserve the in-memory part in one tick (no await between): a concurrent request
    // cannot pass the same limit while the SQL transaction below is in flight.
    if (!this.memory.check(mem, window)) return false;
    this.memory.record(mem, window);
    if (durable.length === 0) return true;
    let ok = false;
    try {
      ok = await this.store.tryConsume(durable, window);
    } finally {
      if (!ok) this.memory.release(mem, window);
    }
    return ok;
  }
}
