import { describe, expect, it } from 'vitest';
import { formatInstances, instanceStatus, OFFLINE_AFTER_MS } from '../../runtime/cluster/instances.js';

const rec = (id: string, lastHeartbeat: string) => ({ id, host: `host-${id}`, version: '0.1.0', policyVersion: 2, startedAt: '2026-03-01T00:00:00.000Z', stoppedAt: null, lastHeartbeat });

describe('instance list', () => {
  const now = Date.parse('2026-03-01T12:00:00.000Z');

  it('is Online up to 10 s after the last heartbeat and Offline after', () => {
    expect(OFFLINE_AFTER_MS).toBe(10_000);
    expect(instanceStatus(rec('a', '2026-03-01T11:59:50.000Z'), now).status).toBe('Online');
    expect(instanceStatus(rec('b', '2026-03-01T11:59:49.999Z'), now).status).toBe('Offline');
    expect(instanceStatus(rec('c', 'garbage'), now).status).toBe('Offline');
    // A clean stop is Offline at once, however recent its last heartbeat.
    expect(instanceStatus({ ...rec('d', '2026-03-01T11:59:59.000Z'), stoppedAt: '2026-03-01T11:59:59.000Z' }, now).status).toBe('Offline');
  });

  it('prints a table or JSON', () => {
    const list = [instanceStatus(rec('a', '2026-03-01T11:59:58.000Z'), now), instanceStatus(rec('bb', '2026-03-01T11:00:00.000Z'), now)];
    const text = formatInstances(list, 'text').split('\n');
    expect(text[0]).toMatch(/^ID\s+HOST\s+VERSION\s+POLICY\s+LAST HEARTBEAT\s+STATUS$/);
    expect(text[1]).toMatch(/^a\s+host-a\s+0\.1\.0\s+2\s+2026-03-01T11:59:58\.000Z\s+Online$/);
    expect(text[2]).toMatch(/Offline$/);
    expect(JSON.parse(formatInstances(list, 'json'))).toEqual([
      { id: 'a', host: 'host-a', version: '0.1.0', policy_version: 2, started_at: '2026-03-01T00:00:00.000Z', last_heartbeat: '2026-03-01T11:59:58.000Z', status: 'Online' },
      { id: 'bb', host: 'host-bb', version: '0.1.0', policy_version: 2, started_at: '2026-03-01T00:00:00.000Z', last_heartbeat: '2026-03-01T11:00:00.000Z', status: 'Offline' },
    ]);
    expect(formatInstances([], 'text')).toMatch(/no instance/);
  });
});
