/**
 * The one in-memory counter: `persistent: false` throttles of a server, and all quota state of the
 * tools (`kss eval`, `kss test`, `kss bench`, conformance) and tests. `tryConsume` checks every
 * throttle and records all uses, or none, in one synchronous step (rule.ts says when a count is in
 * the window and below its limit). Counters are updated in place and kept in a map per rule id,
 * so a decision allocates nothing here once a profile has been seen.
 *
 * A server also mirrors its counters to the store so that `kss keyserver quota list` and the other
 * instances of a cluster can list them: with `trackChanges`, `takeChanges` says what changed since
 * it was last called.
 */
import { belowLimits, compareKeys, matchesFilter, sameHour, splitCounters } from './rule.js';
import type { MemoryQuotaChanges, QuotaCount, QuotaFilter, QuotaKey, QuotaStore, QuotaWindow, ThrottleUse } from './types.js';

export class MemoryQuota implements QuotaStore {
  private readonly byRule = new Map<string, Map<string, QuotaCount>>();
  /** Counters changed since the last takeChanges, and counters removed since then (by key). */
  private readonly changed: Set<QuotaCount> | null;
  private readonly removed = new Map<string, QuotaKey>();
  private replaceMirror = false;

  constructor(opts: { trackChanges?: boolean } = {}) {
    this.changed = opts.trackChanges ? new Set() : null;
  }

  tryConsume(uses: ThrottleUse[], window: QuotaWindow): boolean {
    for (let i = 0; i < uses.length; i++) {
      const u = uses[i]!;
      const c = this.byRule.get(u.ruleId)?.get(u.profileId);
      const hourCount = c !== undefined && sameHour(c.hour, window) ? c.hourCount : 0;
      const dayCount = c !== undefined && c.day === window.day ? c.dayCount : 0;
      if (!belowLimits(hourCount, dayCount, u)) return false;
    }
    for (let i = 0; i < uses.length; i++) this.record(uses[i]!, window);
    return true;
  }

  private record(u: QuotaKey, window: QuotaWindow): void {
    let profiles = this.byRule.get(u.ruleId);
    if (profiles === undefined) this.byRule.set(u.ruleId, (profiles = new Map()));
    let c = profiles.get(u.profileId);
    if (c === undefined) {
      profiles.set(u.profileId, (c = { ruleId: u.ruleId, profileId: u.profileId, hour: window.hour, hourCount: 0, day: window.day, dayCount: 0 }));
    }
    if (!sameHour(c.hour, window)) c.hourCount = 0;
    if (c.day !== window.day) c.dayCount = 0;
    c.hour = window.hour;
    c.day = window.day;
    c.hourCount++;
    c.dayCount++;
    this.changed?.add(c);
  }

  /** Sets a counter's counts in `window` (a policy test that starts with quota already used). */
  seed(key: QuotaKey, window: QuotaWindow, hourCount: number, dayCount: number): void {
    this.record(key, window);
    const c = this.byRule.get(key.ruleId)!.get(key.profileId)!;
    c.hourCount = hourCount;
    c.dayCount = dayCount;
  }

  /** Undoes a successful `tryConsume` in the same window (a reservation whose persistent half was refused). */
  release(uses: ThrottleUse[], window: QuotaWindow): void {
    for (const u of uses) {
      const c = this.byRule.get(u.ruleId)?.get(u.profileId);
      if (c === undefined) continue;
      if (c.hour === window.hour && c.hourCount > 0) c.hourCount--;
      if (c.day === window.day && c.dayCount > 0) c.dayCount--;
      this.changed?.add(c);
    }
  }

  /** The counts of one throttle in `window` (0 when it has not been used in it). */
  counts(ruleId: string, profileId: string, window: QuotaWindow): { hourCount: number; dayCount: number } {
    const c = this.byRule.get(ruleId)?.get(profileId);
    return { hourCount: c && sameHour(c.hour, window) ? c.hourCount : 0, dayCount: c && c.day === window.day ? c.dayCount : 0 };
  }

  /** Copies of the counters (the window they were last counted in), sorted by rule id then profile id. */
  list(filter: QuotaFilter = {}): QuotaCount[] {
    const out: QuotaCount[] = [];
    for (const c of this.counters()) if (matchesFilter(c, filter)) out.push({ ...c });
    return out.sort(compareKeys);
  }

  /** Forgets the matching counters; returns how many were removed. */
  clear(filter: QuotaFilter = {}): number {
    let removed = 0;
    for (const c of [...this.counters()]) {
      if (!matchesFilter(c, filter)) continue;
      this.remove(c);
      removed++;
    }
    return removed;
  }

  /** Drops the counters of rule ids a new policy no longer has (splitCounters' rule, as the stores). */
  retain(ruleIds: Iterable<string>): void {
    for (const ruleId of splitCounters(this.byRule.keys(), ruleIds).reset) this.clear({ ruleId });
  }

  /** What changed since the last call (null when nothing did); only with `trackChanges`. */
  takeChanges(): MemoryQuotaChanges | null {
    if (this.changed === null || (this.changed.size === 0 && this.removed.size === 0 && !this.replaceMirror)) return null;
    const changes = this.replaceMirror
      ? { replace: true, upserts: this.list(), removals: [] }
      : { replace: false, upserts: [...this.changed].map((c) => ({ ...c })), removals: [...this.removed.values()] };
    this.changed.clear();
    this.removed.clear();
    this.replaceMirror = false;
    return changes;
  }

  /** The next takeChanges gives every counter (the mirror missed some changes: writing them failed). */
  remirror(): void {
    this.replaceMirror = this.changed !== null;
  }

  private *counters(): Iterable<QuotaCount> {
    for (const profiles of this.byRule.values()) yield* profiles.values();
  }

  private remove(c: QuotaCount): void {
    const profiles = this.byRule.get(c.ruleId)!;
    profiles.delete(c.profileId);
    if (profiles.size === 0) this.byRule.delete(c.ruleId);
    if (this.changed !== null) {
      this.changed.delete(c);
      this.removed.set(`${c.ruleId}\u0000${c.profileId}`, { ruleId: c.ruleId, profileId: c.profileId });
    }
  }
}
