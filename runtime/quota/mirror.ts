/**
 * The in-memory counters of running servers, as each one mirrors them in the store: only those of
 * instances that are online count (a server that stopped without saying so leaves rows behind).
 */
import { instanceStatus } from '../cluster/instances.js';
import type { KssStore, MemoryQuotaRow, QuotaFilter } from '../store/types.js';

async function onlineInstances(store: KssStore): Promise<Set<string>> {
  const now = Date.now();
  return new Set((await store.listInstances()).filter((i) => instanceStatus(i, now).status === 'Online').map((i) => i.id));
}

/** The mirrored counters of the online instances other than `except`. */
export async function mirroredCounters(store: KssStore, filter: QuotaFilter = {}, except?: string): Promise<MemoryQuotaRow[]> {
  const online = await onlineInstances(store);
  return (await store.listMemoryQuota(filter)).filter((r) => r.instanceId !== except && online.has(r.instanceId));
}

/** Drops the mirrors of instances that are gone, and `own`'s from an earlier run (it starts empty). */
export async function dropStaleMirrors(store: KssStore, own: string): Promise<void> {
  const online = await onlineInstances(store);
  const mirrored = new Set((await store.listMemoryQuota()).map((r) => r.instanceId));
  for (const id of mirrored) if (id === own || !online.has(id)) await store.dropMemoryQuota(id);
}
