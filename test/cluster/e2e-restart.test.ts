/**
 * Stopping and restarting mysqld under two instances: requests fail fast with 503 and /healthz
 * says degraded meanwhile; service comes back by itself. Uses a MariaDB of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateMariaDb, type PrivateMariaDb } from './support/private-mariadb.js';
import { ask, decryptRequest, kssOk, serve, type Served } from './support/kss.js';

const POLICY = `decrypt:
  - - rule: per-profile-throttle-rule
      per_day: 1000
      persistent: true
`;

async function health(url: string): Promise<{ status: number; body: { status?: string } }> {
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as { status?: string } };
}

describe('mysqld stops and comes back', () => {
  const root = mkdtempSync(join(tmpdir(), 'kss-restart-'));
  let db: PrivateMariaDb;
  let token: string;
  const servers: Served[] = [];

  beforeAll(async () => {
    db = await privateMariaDb('restart');
    // The creating instance keeps the signing key in its data directory; both serve from it.
    await kssOk(['keyserver', 'create', '--db-uri', db.uri, '--data-dir', join(root, 'a')]);
    writeFileSync(join(root, 'p.yml'), POLICY);
    await kssOk(['keyserver', 'policy', '--load', join(root, 'p.yml'), '--db-uri', db.uri]);
    await kssOk(['keyserver', 'enable', '--db-uri', db.uri]);
    token = (await kssOk(['keyserver', 'token', 'create', '--role', 'client', '--db-uri', db.uri])).trim();
    for (let i = 0; i < 2; i++) servers.push(await serve(['--db-uri', db.uri, '--data-dir', join(root, 'a')]));
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.kill('SIGKILL');
    await db?.destroy();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers 503 fast while the database is down and serves again after it returns', async () => {
    for (const s of servers) expect((await ask(s.url, token, decryptRequest())).body.approved).toBe(true);

    await db.stop();
    for (const s of servers) {
      for (let i = 0; i < 5; i++) {
        const t0 = Date.now();
        const a = await ask(s.url, token, decryptRequest());
        expect(a.status).toBe(503);
        expect(a.body.error).toBeTruthy();
        expect(Date.now() - t0).toBeLessThan(2000);
      }
      const h = await health(s.url);
      expect(h).toMatchObject({ status: 503, body: { status: 'degraded' } });
    }

    await db.start();
    for (const s of servers) {
      const deadline = Date.now() + 10_000;
      let a = await ask(s.url, token, decryptRequest()).catch(() => null);
      while (a?.status !== 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        a = await ask(s.url, token, decryptRequest()).catch(() => null);
      }
      expect(a?.status, `instance ${s.url} did not recover`).toBe(200);
      expect(a?.body.approved).toBe(true);
      expect((await health(s.url)).body.status).toBe('ok');
    }
  }, 90_000);

  it('does not hang when the database hangs: 503 within the query timeout, then at once, and recovery after', async () => {
    const s = servers[0]!;
    expect((await ask(s.url, token, decryptRequest())).status).toBe(200);
    db.freeze();
    try {
      const t0 = Date.now();
      const first = await ask(s.url, token, decryptRequest(), 15_000);
      expect(first.status).toBe(503);
      expect(Date.now() - t0).toBeLessThan(5000);
      // The instance now knows: the next answers do not wait for the network.
      const t1 = Date.now();
      expect((await ask(s.url, token, decryptRequest(), 15_000)).status).toBe(503);
      expect(Date.now() - t1).toBeLessThan(1500);
    } finally {
      db.thaw();
    }
    const deadline = Date.now() + 10_000;
    let a = await ask(s.url, token, decryptRequest()).catch(() => null);
    while (a?.status !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      a = await ask(s.url, token, decryptRequest()).catch(() => null);
    }
    expect(a?.status).toBe(200);
  }, 60_000);
});
