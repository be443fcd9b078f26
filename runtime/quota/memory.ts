/**
 * The one in-memory counter: `persistent: false` throttles of a server, and all quota state of the
 * tools (`kss eval`, `kss test`, `kss bench`, conformance) and tests. `tryConsume` checks every
 * throttle and records all uses, or none, in one synchronous step (rule.ts says when a count is in
 * the window and below its limit). Counters are updated in place and kept by rule id (RuleCounters),
 * so a decision allocates nothing here once a profile has been seen.
 *
 * A server also mirrors its counters to the store so that `kss keyserver quota list` and the other
 * instances of a cluster can list them: with `trackChanges`, `takeChanges` says what changed since
 * it was last called.
 */
import { belowLimits, compareKeys, matchesFilter, sameHour, splitCounters } from './rule.js';
import type { MemoryQuotaChanges, QuotaCount, QuotaFilter, QuotaKey, QuotaStore, QuotaWindow, ThrottleUse } from './types.js';

/**
 * A rule id's counters: the one counter itself while a single profile has used it (the usual
 * per-profile rule set), else a map by profile id. Why: with thousands of rule ids in use, a lookup
 * reads what no recent decision touched, and an inner Map per rule id is two more such reads (its
 * object and its table) before the counter (bench/README.md, "evaluator at N=10,000").
 */
type RuleCounters = QuotaCount | Map<string, QuotaCount>;

export class MemoryQuota implements QuotaStore {
  private readonly byRule = new Map<string, RuleCounters>();
  /** Counters changed since the last takeChanges, and counters removed since then (by key). */
  private readonly changed: Set<QuotaCount> | null;
  private readonly removed = new Map<string, QuotaKey>();
  private replaceMirror = false;
  /**
   * Stands for the set of counters this store holds, for counter hints (CounterHint): replaced when
   * one is removed (clear, retain), so a hint set before cannot reach a counter no longer held. New
   * counters leave it: a hint only ever names a counter that was held when it was set.
   */
  private token: object = {};
  /** tryConsume's counters between its check and its record (emptied after), so it looks each up once. */
  private readonly found: Array<QuotaCount | undefined> = [];

  constructor(opts: { trackChanges?: boolean } = {}) {
    this.changed = opts.trackChanges ? new Set() : null;
  }

  tryConsume(uses: ThrottleUse[], window: QuotaWindow): boolean {
    const found = this.found;
    let ok = true;
    for (let i = 0; i < uses.length && ok; i++) {
      const u = uses[i]!;
      const c = (found[i] = this.hinted(u) ?? this.find(u.ruleId, u.profileId));
      const hourCount = c !== undefined && sameHour(c.hour, window) ? c.hourCount : 0;
      const dayCount = c !== undefined && c.day === window.day ? c.dayCount : 0;
      ok = belowLimits(hourCount, dayCount, u);
    }
    // A counter not found may have been created by an earlier use of the same key in this set.
    for (let i = 0; i < uses.length && ok; i++) {
      const u = uses[i]!;
      const c = found[i] ?? this.find(u.ruleId, u.profileId) ?? this.create(u, window);
      this.count(c, window);
      const hint = u.hint;
      if (hint !== undefined && (hint.hintCounter !== c || hint.hintStore !== this.token)) {
        hint.hintStore = this.token;
        hint.hintCounter = c;
      }
    }
    // Emptied slot by slot, not by `length = 0`: that gave the array a new backing store every call.
    for (let i = 0; i < uses.length; i++) found[i] = undefined;
    return ok;
  }

  /**
   * The use's counter from its hint, when the hint is this store's, set since the last removal, and
   * for this key: then it is the counter find would return, without the lookup by rule id (at
   * N=10,000 rule ids, the Map's reads are cache misses; bench/README.md, "evaluator at N=10,000").
   */
  private hinted(u: ThrottleUse): QuotaCount | undefined {
    const hint = u.hint;
    if (hint === undefined || hint.hintStore !== this.token) return undefined;
    const c = hint.hintCounter!;
    return c.ruleId === u.ruleId && c.profileId === u.profileId ? c : undefined;
  }

  private find(ruleId: string, profileId: string): QuotaCount | undefined {
    const r = this.byRule.get(ruleId);
    if (r === undefined || r instanceof Map) return r?.get(profileId);
    return r.profileId === profileId ? r : undefined;
  }

  /** A new counter for the key, not yet used (count gives it its first use). */
  private create(u: QuotaKey, window: QuotaWindow): QuotaCount {
    const c: QuotaCount = { ruleId: u.ruleId, profileId: u.profileId, hour: window.hour, hourCount: 0, day: window.day, dayCount: 0 };
    const r = this.byRule.get(u.ruleId);
    if (r === undefined) this.byRule.set(u.ruleId, c);
    else if (r instanceof Map) r.set(u.profileId, c);
    else this.byRule.set(u.ruleId, new Map([[r.profileId, r], [u.profileId, c]]));
    return c;
  }

  private count(c: QuotaCount, window: QuotaWindow): void {
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
    const c = this.find(key.ruleId, key.profileId) ?? this.create(key, window);
    this.count(c, window);
    c.hourCount = hourCount;
    c.dayCount = dayCount;
  }

  /** Undoes a successful `tryConsume` in the same window (a reservation whose persistent half was refused). */
  release(uses: ThrottleUse[], window: QuotaWindow): void {
    for (const u of uses) {
      const c = this.find(u.ruleId, u.profileId);
      if (c === undefined) continue;
      if (c.hour === window.hour && c.hourCount > 0) c.hourCount--;
      if (c.day === window.day && c.dayCount > 0) c.dayCount--;
      this.changed?.add(c);
    }
  }

  /** The counts of one throttle in `window` (0 when it has not been used in it). */
  counts(ruleId: string, profileId: string, window: QuotaWindow): { hourCount: number; dayCount: number } {
    const c = this.find(ruleId, profileId);
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
    for (const r of this.byRule.values()) {
      if (r instanceof Map) yield* r.values();
      else yield r;
    }
  }

  private remove(c: QuotaCount): void {
    this.token = {};
    const r = this.byRule.get(c.ruleId)!;
    if (r instanceof Map) r.delete(c.profileId);
    if (!(r instanceof Map) || r.size === 0) this.byRule.delete(c.ruleId);
    if (this.changed !== null) {
      this.changed.delete(c);
      this.removed.set(`${c.ruleId}\u0000${c.profileId}`, { ruleId: c.ruleId, profileId: c.profileId });
    }
  }
}
