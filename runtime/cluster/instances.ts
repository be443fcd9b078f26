/** `kss keyserver instance list`: every instance that ever sent a heartbeat, Online or Offline. */
import type { InstanceRecord, KssStore } from '../store/types.js';

/** Servers beat every 5 s; two missed beats make an instance Offline. */
export const OFFLINE_AFTER_MS = 10_000;

export interface InstanceStatus {
  id: string;
  host: string;
  version: string;
  started_at: string;
  last_heartbeat: string;
  status: 'Online' | 'Offline';
}

export function instanceStatus(i: InstanceRecord, now: number): InstanceStatus {
  const last = Date.parse(i.lastHeartbeat);
  const online = Number.isFinite(last) && now - last <= OFFLINE_AFTER_MS;
  return { id: i.id, host: i.host, version: i.version, started_at: i.startedAt, last_heartbeat: i.lastHeartbeat, status: online ? 'Online' : 'Offline' };
}

export async function listInstanceStatus(store: KssStore, now = Date.now()): Promise<InstanceStatus[]> {
  return (await store.listInstances()).map((i) => instanceStatus(i, now));
}

export function formatInstances(list: InstanceStatus[], format: 'text' | 'json'): string {
  if (format === 'json') return `${JSON.stringify(list, null, 2)}\n`;
  if (list.length === 0) return 'no instance has reported yet (start one with `kss serve`)\n';
  const rows = [['ID', 'HOST', 'VERSION', 'LAST HEARTBEAT', 'STATUS'], ...list.map((i) => [i.id, i.host, i.version, i.last_heartbeat, i.status])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n') + '\n';
}
