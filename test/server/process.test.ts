import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import { spawn } from 'node:child_process';
import { KSS, kss, serve } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'kss-proc-'));
const PROFILE = '00112233445566778899aabbccddeeff';
let client = '';

function setup(dir: string, policy: string): string {
  writeFileSync(join(tmp, 'p.yml'), policy);
  for (const args of [['create'], ['policy', '--load', join(tmp, 'p.yml')], ['enable']]) {
    const r = kss(['keyserver', ...args, '--data-dir', dir]);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  return kss(['keyserver', 'token', 'create', '--role', 'client', '--data-dir', dir]).stdout.trim();
}

async function storedDayCount(dir: string, ruleId: string): Promise<number> {
  const s = SqliteStore.open(dir, { create: false });
  try {
    return (await s.listQuota({ ruleId, profileId: PROFILE }))[0]?.dayCount ?? 0;
  } finally {
    await s.close();
  }
}

const BIG = 'decrypt:\n  - - rule: per-profile-throttle-rule\n      rule_id: daily\n      per_day: 1000000\n      persistent: true\n';
const dir = join(tmp, 'ks');
beforeAll(() => {
  client = setup(dir, BIG);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `workers` loops posting until `stop()`; counts approvals whose answer arrived. */
function load(url: string, workers: number) {
  const agent = new Agent({ connections: workers, pipelining: 1 });
  let running = true;
  let approved = 0;
  let answered = 0;
  const body = JSON.stringify({ request_type: 'decrypt', profile: { profile_id: PROFILE } });
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      try {
        const res = await request(`${url}/v1/requests`, { method: 'POST', body, headers: { authorization: `Bearer ${client}`, 'content-type': 'application/json' }, dispatcher: agent });
        const j = (await res.body.json()) as { approved?: boolean };
        answered++;
        if (j.approved === true) approved++;
      } catch {
        return; // the server died: this request was in flight and is not answered
      }
    }
  });
  return {
    stats: () => ({ approved, answered }),
    stop: async () => {
      running = false;
      await Promise.all(loops);
      await agent.close();
    },
  };
}

describe('kss serve as a process', () => {
  it('a second server on the same data directory refuses; SIGTERM stops gracefully; logs hold no tokens', async () => {
    // The default: one worker per core (2 here), behind a primary that holds the lock.
    const s = await serve(dir, ['--workers', 'auto']);
    const second = kss(['serve', '--data-dir', dir, '--port', '0']);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/already running/);
    const res = await fetch(`${s.url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${client}` }, body: '{"request_type":"decrypt","profile":{"profile_id":"00"}}' });
    expect(res.status).toBe(200);
    await fetch(`${s.url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${client}x` }, body: '{}' });
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    const logs = s.stderr().trim().split('\n').map((l) => JSON.parse(l));
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['keyserver listening', 'keyserver stopped']));
    expect(s.stderr()).not.toContain(client.split('_').slice(2).join('_'));
  });

});

// One process, and a primary with two worker processes (runtime/server/workers.ts): kill -9 of the
// primary ends its workers too, and the quota stays exact across them.
describe.each(['1', '2'])('kss serve --workers %s, killed', { timeout: 120_000 }, (workerCount) => {
  const w = ['--workers', workerCount];
  it('kill -9 under concurrent load (and CLI writers): every answered approval is counted, at most the in-flight ones more; the audit chain holds', async () => {
    const before = await storedDayCount(dir, 'daily');
    const s = await serve(dir, w);
    const workers = 16;
    const l = load(s.url, workers);
    // Meanwhile the CLI writes to the same audit chain from other processes.
    const cliWriters = Array.from({ length: 3 }, () => new Promise<number | null>((resolve) => {
      spawn(process.execPath, [KSS, 'keyserver', 'token', 'create', '--role', 'client', '--data-dir', dir], { stdio: 'ignore' }).on('exit', resolve);
    }));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await Promise.all(cliWriters)).toEqual([0, 0, 0]);
    s.child.kill('SIGKILL');
    await s.exited;
    await l.stop();
    const { approved } = l.stats();
    expect(approved).toBeGreaterThan(50);
    const counted = (await storedDayCount(dir, 'daily')) - before;
    expect(counted).toBeGreaterThanOrEqual(approved);
    expect(counted - approved).toBeLessThanOrEqual(workers);
    // The lock died with the process: the server starts again and goes on counting.
    const again = await serve(dir, w);
    const r = await fetch(`${again.url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${client}` }, body: JSON.stringify({ request_type: 'decrypt', profile: { profile_id: PROFILE } }) });
    expect(((await r.json()) as { approved: boolean }).approved).toBe(true);
    again.child.kill('SIGTERM');
    await again.exited;
    expect(await storedDayCount(dir, 'daily')).toBe(before + counted + 1);
    const audit = kss(['keyserver', 'audit', '--verify', '--data-dir', dir]);
    expect(audit.stdout).toMatch(/audit chain ok/);
  });

  it('under concurrent load a per_day limit is never exceeded, across a kill -9 and restart', async () => {
    const d2 = join(tmp, `ks2-${workerCount}`);
    const token = setup(d2, BIG.replace('1000000', '150'));
    const saved = client;
    client = token;
    try {
      const s = await serve(d2, w);
      const l = load(s.url, 16);
      await new Promise((r) => setTimeout(r, 600));
      s.child.kill('SIGKILL');
      await s.exited;
      await l.stop();
      const first = l.stats().approved;
      const s2 = await serve(d2, w);
      const l2 = load(s2.url, 16);
      // Run until the limit shows (a denial), however slow the machine is today.
      for (let t = 0; t < 200 && l2.stats().answered === l2.stats().approved; t++) await new Promise((r) => setTimeout(r, 50));
      await l2.stop();
      s2.child.kill('SIGTERM');
      await s2.exited;
      expect(first + l2.stats().approved).toBeLessThanOrEqual(150);
      expect(await storedDayCount(d2, 'daily')).toBe(150);
    } finally {
      client = saved;
    }
  });
});
