/**
 * In-memory quota state for tools (`kss eval`, `kss test`, `kss bench`, conformance) and tests.
 * Counts by (rule_id, profile id) for the current hour and day (SPEC §4.4); `tryConsume` checks every
 * throttle and records all uses, or none, in one synchronous step. Buckets are updated in place and
 * kept in a map per rule id, so a decision allocates nothing here once a profile has been seen.
 */
import type { QuotaCount, QuotaFilter, QuotaStore, QuotaWindow, ThrottleUse } from './types.js';

interface Bucket {
  hour: string;
  hourCount: number;
  day: string;
  dayCount: number;
}

export class MemoryQuotaStore implements QuotaStore {
  private readonly byRule = new Map<string, Map<string, Bucket>>();

  tryConsume(uses: ThrottleUse[], window: QuotaWindow): boolean {
    for (let i = 0; i < uses.length; i++) {
      const u = uses[i]!;
      const b = this.byRule.get(u.ruleId)?.get(u.profileId);
      if (b === undefined) {
        // A limit of 0 (or less) can never be met, even without a count.
        if ((u.perHour !== null && u.perHour <= 0) || (u.perDay !== null && u.perDay <= 0)) return false;
        continue;
      }
      const hourCount = b.hour === window.hour ? b.hourCount : 0;
      const dayCount = b.day === window.day ? b.dayCount : 0;
      if ((u.perHour !== null && hourCount >= u.perHour) || (u.perDay !== null && dayCount >= u.perDay)) return false;
    }
    for (let i = 0; i < uses.length; i++) {
      const u = uses[i]!;
      let profiles = this.byRule.get(u.ruleId);
      if (profiles === undefined) this.byRule.set(u.ruleId, (profiles = new Map()));
      const b = profiles.get(u.profileId);
      if (b === undefined) {
        profiles.set(u.profileId, { hour: window.hour, hourCount: 1, day: window.day, dayCount: 1 });
        continue;
      }
      if (b.hour !== window.hour) {
        b.hour = window.hour;
        b.hourCount = 0;
      }
      if (b.day !== window.day) {
        b.day = window.day;
        b.dayCount = 0;
      }
      b.hourCount++;
      b.dayCount++;
    }
    return true;
  }

  /** The counts of one throttle in the given window (0 when it has not been used in it). */
  counts(ruleId: string, profileId: string, window: QuotaWindow): { hourCount: number; dayCount: number } {
    const b = this.byRule.get(ruleId)?.get(profileId);
    return { hourCount: b && b.hour === window.hour ? b.hourCount : 0, dayCount: b && b.day === window.day ? b.dayCount : 0 };
  }

  /** Stored counts (the window they were last counted in), sorted by rule id then profile id. */
  list(filter: QuotaFilter = {}): QuotaCount[] {
    const out: QuotaCount[] = [];
    for (const [ruleId, profiles] of this.byRule) {
      if (filter.ruleId !== undefined && filter.ruleId !== ruleId) continue;
      for (const [profileId, b] of profiles) {
        if (filter.profileId !== undefined && filter.profileId !== profileId) continue;
        out.push({ ruleId, profileId, ...b });
      }
    }
    return out.sort((a, b) => cmp(a.ruleId, b.ruleId) || cmp(a.profileId, b.profileId));
  }

  /** Forgets the matching counts; returns how many (rule, profile) counts were removed. */
  clear(filter: QuotaFilter = {}): number {
    let removed = 0;
    for (const [ruleId, profiles] of this.byRule) {
      if (filter.ruleId !== undefined && filter.ruleId !== ruleId) continue;
      for (const profileId of [...profiles.keys()]) {
        if (filter.profileId !== undefined && filter.profileId !== profileId) continue;
        profiles.delete(profileId);
        removed++;
      }
      if (profiles.size === 0) this.byRule.delete(ruleId);
    }
    return removed;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
