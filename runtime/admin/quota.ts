/** `quota list` / `quota clear`: the same logic for the CLI and `GET/DELETE /v1/quota`. */
import type { MemoryQuota } from '../quota/memory.js';
import { mirroredCounters } from '../quota/mirror.js';
import { belowLimits, compareKeys, compareText, countsIn, windowOf } from '../quota/rule.js';
import type { QuotaCount, QuotaFilter } from '../quota/types.js';
import type { KssStore } from '../store/types.js';
import { localMoment, type Instant, type Zone } from '../time/index.js';
import { throttleLimits } from './limits.js';

export { clearQuota } from '../quota/clear.js';

export interface QuotaEntry {
  rule_id: string;
  profile_id: string;
  hour_count: number;
  day_count: number;
  at_quota: boolean;
  persistent: boolean;
  /** The server instance whose memory holds a `persistent: false` counter; null for the store's. */
  instance: string | null;
}

export interface ListOptions {
  at: Instant;
  zone: Zone;
  filter?: QuotaFilter;
  /** A server's own in-memory counters (fresher than its mirror in the store). */
  own?: { instanceId: string; memory: MemoryQuota };
}

/**
 * Counts in the current window (a counter from an earlier hour/day shows 0 there): the store's
 * persistent counters, then the in-memory counters of every running server (SPEC 4.4, `persistent:
 * false`), as mirrored in the store by each online instance.
 */
export async function listQuota(store: KssStore, opts: ListOptions): Promise<QuotaEntry[]> {
  const policy = await store.activePolicy();
  const limits = policy ? throttleLimits(JSON.parse(policy.artifactJson)) : new Map();
  const w = windowOf(localMoment(opts.at, opts.zone));
  const entry = (c: QuotaCount, instance: string | null): QuotaEntry => {
    const { hourCount, dayCount } = countsIn(c, w);
    const l = limits.get(c.ruleId);
    const atQuota = l !== undefined && !belowLimits(hourCount, dayCount, l);
    return { rule_id: c.ruleId, profile_id: c.profileId, hour_count: hourCount, day_count: dayCount, at_quota: atQuota, persistent: instance === null, instance };
  };
  const memory = [
    ...(opts.own?.memory.list(opts.filter) ?? []).map((c) => ({ ...c, instanceId: opts.own!.instanceId })),
    ...(await mirroredCounters(store, opts.filter, opts.own?.instanceId)),
  ].sort((a, b) => compareKeys(a, b) || compareText(a.instanceId, b.instanceId));
  return [...(await store.listQuota(opts.filter)).map((c) => entry(c, null)), ...memory.map((r) => entry(r, r.instanceId))];
}

export function formatQuotaText(entries: QuotaEntry[]): string {
  if (entries.length === 0) return 'no quota counters\n';
  const withInstance = entries.some((e) => e.instance !== null);
  const head = ['RULE_ID', 'PROFILE_ID', 'HOUR', 'DAY', 'AT_QUOTA', 'KIND', ...(withInstance ? ['INSTANCE'] : [])];
  const rows = entries.map((e) => [
    e.rule_id, e.profile_id, String(e.hour_count), String(e.day_count), e.at_quota ? 'yes' : 'no', e.persistent ? 'persistent' : 'memory',
    ...(withInstance ? [e.instance ?? '-'] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [head, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}
