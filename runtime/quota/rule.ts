/**
 * The quota's rule, written once (SPEC 4.4): a counter counts in a window only for the hour and day
 * it was last used in, and a throttle approves while both counts are below their limits. The
 * in-memory counter, the admin listing, traces and the stores' bookkeeping use these; the SQL
 * stores say the same in SQL (they must check and count in one statement).
 */
import type { LocalMoment } from '../time/index.js';
import type { QuotaFilter, QuotaKey, QuotaWindow } from './types.js';

/** The quota window of a local moment: its hour and day buckets. */
export function windowOf(m: LocalMoment): QuotaWindow {
  return { hour: m.hour, legacyHour: m.localHour, day: m.day };
}

/**
 * Whether a counter stored for `hour` counts in the window's hour. Counters written before SPEC
 * 4.6 named the hour by local time only; they still count in that local hour, so that a counter
 * written just before an upgrade keeps its uses. At a fall-back, such a counter then also counts
 * in the repeated hour: more uses counted, never fewer, which is the quota's safe side.
 */
export function sameHour(hour: string, w: QuotaWindow): boolean {
  return hour === w.hour || hour === w.legacyHour;
}

/** A limit as a number to compare with, or null for none (SPEC 4.4: missing, or -1 as in the reference). */
export function limitOf(limit: number | null): number | null {
  return limit === null || limit < 0 ? null : limit;
}

/** True while both counts are below their limits (a limit of 0 never approves). */
export function belowLimits(hourCount: number, dayCount: number, limits: { perHour: number | null; perDay: number | null }): boolean {
  const perHour = limitOf(limits.perHour);
  const perDay = limitOf(limits.perDay);
  return (perHour === null || hourCount < perHour) && (perDay === null || dayCount < perDay);
}

/** The counts of a stored counter in `w`: zero for an hour or a day that is over. */
export function countsIn(c: { hour: string; hourCount: number; day: string; dayCount: number }, w: QuotaWindow): { hourCount: number; dayCount: number } {
  return { hourCount: sameHour(c.hour, w) ? c.hourCount : 0, dayCount: c.day === w.day ? c.dayCount : 0 };
}

export function matchesFilter(k: QuotaKey, f: QuotaFilter): boolean {
  return (f.ruleId === undefined || k.ruleId === f.ruleId) && (f.profileId === undefined || k.profileId === f.profileId);
}

/**
 * Activating a policy keeps the counters of rule ids it still has (their rule_id is unchanged) and
 * resets the others; both stores and the server's memory split them by this rule. Sorted.
 */
export function splitCounters(counted: Iterable<string>, ruleIds: Iterable<string>): { carried: string[]; reset: string[] } {
  const keep = new Set(ruleIds);
  const carried: string[] = [];
  const reset: string[] = [];
  for (const id of new Set(counted)) (keep.has(id) ? carried : reset).push(id);
  return { carried: carried.sort(), reset: reset.sort() };
}

/** Counters in listing order: by rule id, then profile id (code unit order, as the stores sort). */
export function compareKeys(a: QuotaKey, b: QuotaKey): number {
  return compareText(a.ruleId, b.ruleId) || compareText(a.profileId, b.profileId);
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
