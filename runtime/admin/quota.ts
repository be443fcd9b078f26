/** `quota list` / `quota clear`: the same logic for the CLI and `GET/DELETE /v1/quota`. */
import type { MemoryCounts } from '../store/quota.js';
import type { KssStore, QuotaFilter, StoredQuota } from '../store/types.js';
import { quotaWindow } from '../store/window.js';
import { throttleLimits } from './limits.js';

export interface QuotaEntry {
  rule_id: string;
  profile_id: string;
  hour_count: number;
  day_count: number;
  at_quota: boolean;
  persistent: boolean;
}

/** Counts in the current window (a counter from an earlier hour/day shows 0 there). */
export async function listQuota(store: KssStore, opts: { now: number; tz: string; memory?: MemoryCounts; filter?: QuotaFilter }): Promise<QuotaEntry[]> {
  const policy = await store.activePolicy();
  const limits = policy ? throttleLimits(JSON.parse(policy.artifactJson)) : new Map();
  const w = quotaWindow(opts.now, opts.tz);
  const rows: Array<[StoredQuota, boolean]> = [
    ...(await store.listQuota(opts.filter)).map((r): [StoredQuota, boolean] => [r, true]),
    ...(opts.memory?.list(opts.filter) ?? []).map((r): [StoredQuota, boolean] => [r, false]),
  ];
  return rows.map(([r, persistent]) => {
    const hour = r.hour === w.hour ? r.hourCount : 0;
    const day = r.day === w.day ? r.dayCount : 0;
    const l = limits.get(r.ruleId);
    const atQuota = !!l && ((l.perHour !== null && hour >= l.perHour) || (l.perDay !== null && day >= l.perDay));
    return { rule_id: r.ruleId, profile_id: r.profileId, hour_count: hour, day_count: day, at_quota: atQuota, persistent };
  });
}

/**
 * Clears counters in the store (and in `memory`, the caller's own in-memory ones) and audits it. The
 * audit entry carries the filter: running servers read it to clear exactly those counters in their
 * memory too (runtime/server/runtime.ts). Returns how many were cleared and the entry's seq.
 */
export async function clearQuota(store: KssStore, filter: QuotaFilter, actor: string, memory?: MemoryCounts): Promise<{ cleared: number; auditSeq: number }> {
  const cleared = (await store.clearQuota(filter)) + (memory?.clear(filter) ?? 0);
  const [entry] = await store.appendAudit([{ at: new Date().toISOString(), kind: QUOTA_CLEAR, actor, data: { ...filter, cleared } }]);
  return { cleared, auditSeq: entry!.seq };
}

export const QUOTA_CLEAR = 'quota.clear';

/** The filter a `quota.clear` audit entry was made with. */
export function clearedFilter(data: Record<string, unknown>): QuotaFilter {
  const filter: QuotaFilter = {};
  if (typeof data.profileId === 'string') filter.profileId = data.profileId;
  if (typeof data.ruleId === 'string') filter.ruleId = data.ruleId;
  return filter;
}

export function formatQuotaText(entries: QuotaEntry[]): string {
  if (entries.length === 0) return 'no quota counters\n';
  const head = ['RULE_ID', 'PROFILE_ID', 'HOUR', 'DAY', 'AT_QUOTA', 'KIND'];
  const rows = entries.map((e) => [e.rule_id, e.profile_id, String(e.hour_count), String(e.day_count), e.at_quota ? 'yes' : 'no', e.persistent ? 'persistent' : 'memory']);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}
