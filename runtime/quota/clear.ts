/**
 * Clearing counters: the one `clear` of the CLI (`kss keyserver quota clear`) and of the server
 * (`DELETE /v1/quota`), and the audit entry that carries it to every other process: a running
 * server reads the entry's filter and clears exactly those in-memory counters (clears.ts).
 */
import type { AuditEntry, KssStore } from '../store/types.js';
import type { MemoryQuota } from './memory.js';
import type { QuotaFilter } from './types.js';

export const QUOTA_CLEAR = 'quota.clear';

/**
 * Clears the matching counters in the store and, for a server's own clear, in its `memory`; one
 * audit entry `quota.clear` with the filter and the number cleared (snake_case, like every entry).
 */
export async function clearQuota(store: KssStore, filter: QuotaFilter, actor: string, memory?: MemoryQuota): Promise<{ cleared: number; entry: AuditEntry }> {
  const inMemory = memory?.list(filter).length ?? 0;
  const at = new Date().toISOString();
  const result = await store.clearQuota(filter, (deleted) => ({
    at, kind: QUOTA_CLEAR, actor,
    data: { ...(filter.profileId === undefined ? {} : { profile_id: filter.profileId }), ...(filter.ruleId === undefined ? {} : { rule_id: filter.ruleId }), cleared: deleted + inMemory },
  }));
  memory?.clear(filter);
  return { cleared: result.cleared + inMemory, entry: result.entry };
}

/** The filter a `quota.clear` entry was made with; kss 0.1 wrote it in camelCase. */
export function clearedFilter(data: Record<string, unknown>): QuotaFilter {
  const filter: QuotaFilter = {};
  const profileId = data.profile_id ?? data.profileId;
  const ruleId = data.rule_id ?? data.ruleId;
  if (typeof profileId === 'string') filter.profileId = profileId;
  if (typeof ruleId === 'string') filter.ruleId = ruleId;
  return filter;
}
