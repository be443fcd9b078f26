/**
 * Three real `kss serve` processes on one real MariaDB: shared quota under concurrent clients,
 * kill -9 of an instance under load, a policy loaded on one instance reaching all, instance list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, freshDatabase } from './support/mysql.js';
import { ask, decryptRequest, kss, kssOk, serve, type Served } from './support/kss.js';

const ENV = { KSS_BACKUP_PASSPHRASE: 'cluster test passphrase' };
const policy = (ruleId: string, perDay: number) => `decrypt:
  - - rule: per-profile-throttle-rule
      rule_id: ${ruleId}
      per_day: ${perDay}
      persistent: true
`;
const profile = (n: number) => `${n.toString(16).padStart(2, '0')}${'ab'.repeat(15)}`;

interface LoadResult {
  approved: number;
  denied: number;
  failed: number;
  other: number;
}

/** `workers` clients, round-robin over `targets()`, until `total` requests were sent. */
async function load(total: number, workers: number, targets: () => Served[], token: string, body: unknown, onAnswer?: (r: LoadResult) => void): Promise<LoadResult> {
  const r: LoadResult = { approved: 0, denied: 0, failed: 0, other: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        const i = next++;
        const list = targets();
        const target = list[i % list.length]!;
        try {
          const a = await ask(target.url, token, body);
          if (a.status === 200 && a.body.approved === true) r.approved++;
          else if (a.status === 200 && a.body.approved === false) r.denied++;
          else r.other++;
        } catch {
          r.failed++;
        }
        onAnswer?.(r);
      }
    }),
  );
  return r;
}

describe('cluster: three instances on one MariaDB', { timeout: 60_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'kss-cluster-'));
  let uri: string;
  let client: string;
  let admin: string;
  const servers: Served[] = [];

  beforeAll(async () => {
    uri = await freshDatabase();
    const backup = join(root, 'backup.key');
    // Instance A creates the keyserver and so keeps its signing key in its data directory.
    const created = await kssOk(['keyserver', 'create', '--db-uri', uri, '--data-dir', join(root, 'a'), '--backup-path', backup, '--ignore-security-checks'], ENV);
    expect(created).toMatch(/ks_[0-9a-f]{32}/);
    writeFileSync(join(root, 'p1.yml'), policy('daily', 100));
    await kssOk(['keyserver', 'policy', '--load', join(root, 'p1.yml'), '--db-uri', uri]);
    await kssOk(['keyserver', 'enable', '--db-uri', uri]);
    client = (await kssOk(['keyserver', 'token', 'create', '--role', 'client', '--db-uri', uri])).trim();
    admin = (await kssOk(['keyserver', 'token', 'create', '--role', 'admin', '--db-uri', uri])).trim();
    // Instance A serves from the URI with its own key; B and C join with the backup key, as new machines do.
    servers.push(await serve(['--db-uri', uri, '--data-dir', join(root, 'a')]));
    for (const name of ['b', 'c']) {
      const dir = join(root, name);
      const joined = await kssOk(['keyserver', 'initialize', '--db-uri', uri, '--backup-key', backup, '--data-dir', dir], ENV);
      expect(joined).toBe('Keyshard server initialized\n');
      servers.push(await serve(['--data-dir', dir]));
    }
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.kill('SIGKILL');
    await dropDatabase(uri);
    rmSync(root, { recursive: true, force: true });
  });

  it('grants exactly per_day: 100 to 16 concurrent clients spread over the 3 instances', async () => {
    const r = await load(240, 16, () => servers.slice(0, 3), client, decryptRequest(profile(1)));
    expect(r).toEqual({ approved: 100, denied: 140, failed: 0, other: 0 });
    const quota = JSON.parse(await kssOk(['keyserver', 'quota', 'list', '--format', 'json', '--db-uri', uri])) as Array<Record<string, unknown>>;
    expect(quota.find((q) => q.profile_id === profile(1))).toMatchObject({ rule_id: 'daily', day_count: 100, at_quota: true });
  });

  it('refuses to join without the right passphrase, and explains a malformed URI, as messages', async () => {
    const dir = join(root, 'intruder');
    const wrong = await kss(['keyserver', 'initialize', '--db-uri', uri, '--backup-key', join(root, 'backup.key'), '--data-dir', dir], { KSS_BACKUP_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong passphrase/);
    expect(wrong.stdout).toBe('');
    const bad = await kss(['keyserver', 'instance', 'list', '--db-uri', 'mysql:host=h,colour=red']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/unknown key `colour` in the database URI/);
    for (const r of [wrong, bad]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('lists the three instances as Online', async () => {
    const list = JSON.parse(await kssOk(['keyserver', 'instance', 'list', '--format', 'json', '--db-uri', uri])) as Array<{ status: string }>;
    expect(list).toHaveLength(3);
    expect(list.every((i) => i.status === 'Online')).toBe(true);
    const text = await kssOk(['keyserver', 'instance', 'list', '--data-dir', join(root, 'b')]);
    expect(text.split('\n').filter((l) => l.endsWith('Online'))).toHaveLength(3);
  });

  it('a policy loaded on one instance is used by all within 2 s', async () => {
    const put = await fetch(`${servers[0]!.url}/v1/policy`, { method: 'PUT', headers: { authorization: `Bearer ${admin}` }, body: policy('v2', 100) });
    expect(put.status).toBe(200);
    const loadedAt = Date.now();
    for (const s of servers) {
      let seen = false;
      let n = 0;
      while (!seen && Date.now() - loadedAt < 2000) {
        const a = await ask(s.url, client, decryptRequest(profile(100 + n++)));
        seen = a.status === 200 && (a.body as { rule_ids?: string[] }).rule_ids?.[0] === 'v2';
        if (!seen) await new Promise((r) => setTimeout(r, 20));
      }
      expect(seen, `instance ${s.url} did not use the new policy within 2 s`).toBe(true);
    }
  });

  it('disable, enable, quota clear and policy --dump on the shared database reach every instance', async () => {
    const until = async (what: string, ok: () => Promise<boolean>) => {
      const deadline = Date.now() + 2000;
      while (!(await ok())) {
        if (Date.now() > deadline) throw new Error(`${what} did not reach every instance within 2 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const every = (pred: (a: Awaited<ReturnType<typeof ask>>) => boolean, p: string) => async () =>
      (await Promise.all(servers.map((s) => ask(s.url, client, decryptRequest(p))))).every(pred);

    await kssOk(['keyserver', 'disable', '--db-uri', uri]);
    await until('disable', every((a) => a.status === 503, profile(3)));
    await kssOk(['keyserver', 'enable', '--data-dir', join(root, 'c')]);
    await until('enable', every((a) => a.status === 200, profile(3)));

    // A profile at quota (per_day 100 of the policy now active) is freed on every instance by a clear.
    expect(await load(110, 16, () => servers, client, decryptRequest(profile(4)))).toMatchObject({ approved: 100, denied: 10 });
    await kssOk(['keyserver', 'quota', 'clear', '--profile', profile(4), '--db-uri', uri]);
    for (const s of servers) expect((await ask(s.url, client, decryptRequest(profile(4)))).body.approved).toBe(true);

    const dumped = await kssOk(['keyserver', 'policy', '--dump', '-', '--data-dir', join(root, 'b')]);
    expect(dumped).toBe(policy('v2', 100));
  });

  it('kill -9 of one instance under load: never over quota, counts match answered approvals up to the requests in flight', async () => {
    const victim = await serve(['--db-uri', uri, '--data-dir', join(root, 'a')]);
    servers.push(victim);
    let alive = [...servers.slice(0, 3), victim];
    let killed = false;
    const r = await load(320, 16, () => alive, client, decryptRequest(profile(2)), (now) => {
      if (!killed && now.approved >= 30) {
        killed = true;
        victim.proc.kill('SIGKILL');
        // Clients keep going on the survivors; requests already sent to the victim fail.
        alive = servers.slice(0, 3);
      }
    });
    expect(killed).toBe(true);
    const quota = JSON.parse(await kssOk(['keyserver', 'quota', 'list', '--format', 'json', '--db-uri', uri])) as Array<Record<string, unknown>>;
    const count = Number(quota.find((q) => q.profile_id === profile(2))?.day_count);
    // Never over quota, and no answered approval is missing from the count.
    expect(count).toBe(100);
    expect(r.approved).toBeLessThanOrEqual(count);
    // What was counted but never answered was in flight on the killed instance.
    expect(count - r.approved).toBeLessThanOrEqual(r.failed);
    expect(r.other).toBe(0);
    // The survivors answered everything else.
    expect(r.approved + r.denied + r.failed).toBe(320);
    // Four writers, one of them killed mid-write: still one valid audit chain.
    const verify = await kss(['keyserver', 'audit', '--verify', '--db-uri', uri]);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);
  });
});
