/**
 * `kss serve --workers 2` as processes (runtime/server/workers.ts): one port, exact quotas across
 * the workers, CLI changes holding on every worker from the next request on, one audit chain, a dead worker
 * replaced, a clean stop of all. Each request goes on a fresh connection, which the primary hands
 * to the workers in turn, so a run of requests reaches each of them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerCount } from '../../runtime/server/workers.js';
import type { KssStore } from '../../runtime/store/types.js';
import { kss, serve, type ServeProcess } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'kss-workers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const PROFILE = '00112233445566778899aabbccddeeff';
const LIMIT = 60;
const POLICY = `decrypt:\n  - - rule: per-profile-throttle-rule\n      rule_id: mem\n      per_day: ${LIMIT}\n`;

function ok(args: string[]): string {
  const r = kss(args);
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

function keyserver(name: string, policy = POLICY): { dir: string; client: string } {
  const dir = join(tmp, name);
  writeFileSync(join(tmp, `${name}.yml`), policy);
  ok(['keyserver', 'create', '--data-dir', dir]);
  ok(['keyserver', 'policy', '--load', join(tmp, `${name}.yml`), '--data-dir', dir]);
  ok(['keyserver', 'enable', '--data-dir', dir]);
  return { dir, client: ok(['keyserver', 'token', 'create', '--role', 'client', '--data-dir', dir]).trim() };
}

/** One decision on its own connection (agent: false). */
function decide(url: string, token: string, profile = PROFILE): Promise<{ status: number; json: { approved?: boolean; rule_ids?: string[]; policy_version?: number } }> {
  const body = JSON.stringify({ request_type: 'decrypt', profile: { profile_id: profile } });
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/v1/requests`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A GET on its own connection. */
function get(url: string, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(`${url}${path}`, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, text }));
    }).on('error', reject).end();
  });
}

/** The value of one series line in Prometheus text (NaN when absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

const many = <T>(n: number, f: () => Promise<T>): Promise<T[]> => Promise.all(Array.from({ length: n }, f));

/** The worker processes of a primary (Linux: /proc). */
function workerPids(s: ServeProcess): number[] {
  const pid = s.child.pid!;
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
}

async function within(ms: number, check: () => Promise<boolean> | boolean): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Several processes per test, each CLI call a process too: generous for a machine shared with other work.
describe('kss serve --workers 2', { timeout: 120_000 }, () => {
  it('a persistent: false limit holds exactly under concurrent load over both workers; a CLI clear reaches it at once', async () => {
    const ks = keyserver('exact');
    const s = await serve(ks.dir, ['--workers', '2']);
    try {
      expect(workerPids(s)).toHaveLength(2);
      const answers = (await Promise.all(Array.from({ length: 8 }, () => many(12, () => decide(s.url, ks.client))))).flat();
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(answers.filter((a) => a.json.approved).length).toBe(LIMIT);
      const list = ok(['keyserver', 'quota', 'list', '--data-dir', ks.dir]);
      expect(list).toMatch(new RegExp(`mem\\s+${PROFILE}\\s+${LIMIT}\\s+${LIMIT}\\s+yes\\s+memory`));
      ok(['keyserver', 'quota', 'clear', '--profile', PROFILE, '--data-dir', ks.dir]);
      expect((await many(4, () => decide(s.url, ks.client))).map((a) => a.json.approved)).toEqual([true, true, true, true]);
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
    // Non-persistent counts end with the server, as one process's memory does.
    expect(ok(['keyserver', 'quota', 'list', '--data-dir', ks.dir])).toMatch(/no quota counters/);
  });

  it('a token revoked from the CLI is refused by every worker from the next request on, load in flight or not', async () => {
    const ks = keyserver('revoke', 'decrypt:\n  - - rule: approve-rule\n      rule_id: open\n');
    const s = await serve(ks.dir, ['--workers', '2']);
    try {
      for (let round = 0; round < 3; round++) {
        const token = ok(['keyserver', 'token', 'create', '--role', 'client', '--data-dir', ks.dir]).trim();
        expect((await many(6, () => decide(s.url, token))).map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
        // Requests keep arriving while the CLI revokes; once it has returned, none may be approved.
        let load = true;
        const background = (async () => {
          while (load) await many(4, () => decide(s.url, token));
        })();
        ok(['keyserver', 'token', 'revoke', token.split('_')[1]!, '--data-dir', ks.dir]);
        const after = await many(8, () => decide(s.url, token));
        load = false;
        await background;
        expect(after.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401, 401, 401]);
        expect((await many(2, () => decide(s.url, ks.client))).map((a) => a.status)).toEqual([200, 200]);
      }
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  });

  it('disable, enable, a policy load and /v1/status hold on every worker from the next request on; the audit chain is one, verifies and is signed to its end', async () => {
    const ks = keyserver('changes');
    const s = await serve(ks.dir, ['--workers', '2']);
    try {
      // No waiting anywhere: each worker reads the store's state before it answers (Runtime.caughtUp).
      for (let round = 0; round < 2; round++) {
        ok(['keyserver', 'disable', '--data-dir', ks.dir]);
        expect((await many(6, () => decide(s.url, ks.client))).map((a) => a.status)).toEqual([503, 503, 503, 503, 503, 503]);
        ok(['keyserver', 'enable', '--data-dir', ks.dir]);
        expect((await many(6, () => decide(s.url, ks.client))).map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      }
      writeFileSync(join(tmp, 'changes-2.yml'), 'decrypt:\n  - - rule: approve-rule\n      rule_id: open\n');
      ok(['keyserver', 'policy', '--load', join(tmp, 'changes-2.yml'), '--data-dir', ks.dir]);
      const after = await many(6, () => decide(s.url, ks.client));
      expect(after.map((a) => [a.json.policy_version, a.json.rule_ids?.[0]])).toEqual(Array.from({ length: 6 }, () => [2, 'open']));
      const statuses = await many(6, () => get(s.url, '/v1/status'));
      expect(statuses.map((st) => (JSON.parse(st.text) as { policy: { version: number } }).policy.version)).toEqual([2, 2, 2, 2, 2, 2]);
    } finally {
      s.child.kill('SIGTERM');
      expect(await s.exited).toEqual({ code: 0, signal: null });
    }
    expect(ok(['keyserver', 'audit', '--verify', '--data-dir', ks.dir])).toMatch(/audit chain ok/);
    // One signer, the primary's: it signed the workers' last entries after they stopped, and no
    // two signers raced for the same head.
    const report = JSON.parse(ok(['keyserver', 'audit', '--verify', '--format', 'json', '--data-dir', ks.dir]));
    expect(report).toMatchObject({ problems: [], signedUpTo: { seq: report.count }, unsigned: null });
    expect(s.stderr()).not.toMatch(/cannot sign an audit checkpoint|the audit chain is broken/);
  });

  it('a worker killed with -9 is replaced and the others keep answering; SIGTERM stops every process', async () => {
    const ks = keyserver('crash', 'decrypt:\n  - - rule: approve-rule\n');
    const s = await serve(ks.dir, ['--workers', '2']);
    const [victim, survivor] = workerPids(s);
    process.kill(victim!, 'SIGKILL');
    // Once the primary knows (node:cluster can lose a connection it hands to a worker that is
    // dying at that moment), the survivor answers everything meanwhile.
    await within(10_000, () => s.stderr().includes('a worker process died; starting another'));
    expect((await many(4, () => decide(s.url, ks.client))).every((a) => a.status === 200)).toBe(true);
    await within(20_000, () => {
      const now = workerPids(s);
      return now.length === 2 && !now.includes(victim!) && now.includes(survivor!) && s.stderr().split('worker listening').length === 4;
    });
    const pids = workerPids(s);
    s.child.kill('SIGTERM');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    for (const pid of pids) expect(existsSync(`/proc/${pid}`)).toBe(false);
    const logs = s.stderr().trim().split('\n').map((l) => JSON.parse(l).msg);
    expect(logs.filter((m) => m === 'worker stopped')).toHaveLength(2);
    expect(logs.at(-1)).toBe('keyserver stopped');
    // The primary held the lock: a second server refused while it ran, one starts now.
    const again = await serve(ks.dir, ['--workers', '1']);
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('/metrics counts the decisions of every worker, whichever worker is scraped; /v1/status says how many workers', async () => {
    const ks = keyserver('metrics', 'decrypt:\n  - - rule: approve-rule\n');
    const s = await serve(ks.dir, ['--workers', '2']);
    try {
      const answers = await many(20, () => decide(s.url, ks.client));
      expect(answers.every((a) => a.status === 200 && a.json.approved)).toBe(true);
      // Four scrapes on fresh connections: the primary hands them to both workers.
      for (let i = 0; i < 4; i++) {
        const text = (await get(s.url, '/metrics')).text;
        expect(sample(text, 'kss_decisions_total{request_type="decrypt",result="approved"}')).toBe(20);
        expect(sample(text, 'kss_http_responses_total{route="POST /v1/requests",status="200"}')).toBe(20);
        expect(sample(text, 'kss_decision_duration_seconds_count')).toBe(20);
        // The state gauges stay per worker (summing them would say 2 enabled), one line each.
        expect(text.match(/^kss_enabled\{worker="\d+"\} 1$/gm)).toHaveLength(2);
        expect(text.match(/^kss_policy_version\{worker="\d+"\} 1$/gm)).toHaveLength(2);
        expect(text.match(/^# TYPE kss_decisions_total counter$/gm)).toHaveLength(1);
      }
      for (let i = 0; i < 2; i++) expect(JSON.parse((await get(s.url, '/v1/status')).text)).toMatchObject({ workers: 2, policy: { version: 1 } });
    } finally {
      s.child.kill('SIGTERM');
      await s.exited;
    }
  });

  it('--workers takes 1 to 64 or auto; a store that allows one process refuses more, saying why', () => {
    const r = kss(['serve', '--workers', '0', '--data-dir', join(tmp, 'none')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/invalid --workers `0`/);
    const one = { maxWorkers: 1, location: 'mysql://db/kss' } as KssStore;
    const many = { maxWorkers: Number.POSITIVE_INFINITY, location: 'sqlite:x' } as KssStore;
    expect(workerCount('auto', one, 4)).toBe(1);
    expect(workerCount('auto', many, 4)).toBe(4);
    expect(workerCount(3, many, 2)).toBe(3);
    expect(() => workerCount(2, one, 4)).toThrow(/allows 1 process per instance/);
  });
});
