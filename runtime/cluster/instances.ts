/**
 * `kss keyserver instance list|remove`: every instance that sent a heartbeat, Online or Offline,
 * with the policy version it runs. An instance is one data directory (its id is kept there across
 * restarts), so a restart updates its row; `remove` forgets one that is gone for good.
 */
import { StoreError, type InstanceRecord, type KssStore } from '../store/types.js';

/** Servers beat every 5 s; two missed beats make an instance Offline. */
export const OFFLINE_AFTER_MS = 10_000;

export interface InstanceStatus {
  id: string;
  host: string;
  version: string;
  policy_version: number | null;
  started_at: string;
  last_heartbeat: string;
  status: 'Online' | 'Offline';
}

/** Online while it beats; Offline once it said it stopped, or missed two beats (a crash). */
export function instanceStatus(i: InstanceRecord, now: number): InstanceStatus {
  const last = Date.parse(i.lastHeartbeat);
  const online = i.stoppedAt === null && Number.isFinite(last) && now - last <= OFFLINE_AFTER_MS;
  return {
    id: i.id, host: i.host, version: i.version, policy_version: i.policyVersion,
    started_at: i.startedAt, last_heartbeat: i.lastHeartbeat, status: online ? 'Online' : 'Offline',
  };
}

export async function listInstanceStatus(store: KssStore, now = Date.now()): Promise<InstanceStatus[]> {
  return (await store.listInstances()).map((i) => instanceStatus(i, now));
}

export function formatInstances(list: InstanceStatus[], format: 'text' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(list, null, 2)}\n`;
  if (list.length === 0) return 'no instance has reported yet (start one with `kss serve`)\n';
  const rows = [
    ['ID', 'HOST', 'VERSION', 'POLICY', 'LAST HEARTBEAT', 'STATUS'],
    ...list.map((i) => [i.id, i.host, i.version, i.policy_version === null ? 'none' : String(i.policy_version), i.last_heartbeat, i.status]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n') + '\n';
}

/**
 * Forgets the instance whose id is `idOrPrefix` (or starts with it, when only one does). An
 * Online one is refused unless `force`: it is running, and would add itself again within 5 s.
 */
export async function removeInstance(store: KssStore, idOrPrefix: string, o: { force: boolean; actor: string; now?: number }): Promise<InstanceStatus> {
  const list = await listInstanceStatus(store, o.now);
  const exact = list.find((i) => i.id === idOrPrefix);
  const matches = exact ? [exact] : list.filter((i) => idOrPrefix !== '' && i.id.startsWith(idOrPrefix));
  if (matches.length === 0) throw new StoreError('not-found', `no instance \`${idOrPrefix}\` (see \`kss keyserver instance list\`)`);
  if (matches.length > 1) throw new StoreError('not-found', `\`${idOrPrefix}\` is the start of ${matches.length} instance ids; give more of it`);
  const target = matches[0]!;
  if (target.status === 'Online' && !o.force) {
    throw new StoreError('exists', `instance \`${target.id}\` on ${target.host} is Online (last heartbeat ${target.last_heartbeat}); stop it first, or give --force (a running instance adds itself again at its next heartbeat)`);
  }
  await store.removeInstance(target.id);
  await store.appendAudit([{ at: new Date().toISOString(), kind: 'instance.remove', actor: o.actor, data: { instance_id: target.id, host: target.host, status: target.status } }]);
  return target;
}
