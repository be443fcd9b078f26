/**
 * The database going away: calls fail fast with StoreError('unavailable') (the server answers
 * 503), nothing hangs, and the store works again by itself once the database is back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MysqlStore } from '../../runtime/store/mysql/store.js';
import { parseMysqlUri } from '../../runtime/store/mysql/uri.js';
import { StoreError } from '../../runtime/store/types.js';
import { dropDatabase, freshDatabase, mysqlTestEnv } from './support/mysql.js';
import { cuttableProxy, type CuttableProxy } from './support/proxy.js';
import { windowAt } from '../support/time.js';

const W = windowAt('2026-03-01T09:30:00Z');
const use = { ruleId: 'r', profileId: 'p', perHour: null, perDay: 1000, persistent: true };

async function timed<T>(p: Promise<T>): Promise<{ ms: number; error: unknown }> {
  const t0 = Date.now();
  try {
    await p;
    return { ms: Date.now() - t0, error: null };
  } catch (error) {
    return { ms: Date.now() - t0, error };
  }
}

describe('MySQL store when the database goes away', () => {
  let uri: string;
  let proxy: CuttableProxy;
  let store: MysqlStore;

  beforeAll(async () => {
    uri = await freshDatabase();
    const t = parseMysqlUri(uri, {});
    proxy = await cuttableProxy(t.host, t.port);
    store = await MysqlStore.open(`mysql://${t.user}:${t.password}@127.0.0.1:${proxy.port}/${t.database}`, { create: true, connections: 4 });
  });
  afterAll(async () => {
    await store.close();
    await proxy.close();
    await dropDatabase(uri);
  });

  it('fails fast with a typed error while it is gone, and recovers by itself', async () => {
    expect(await store.tryConsume([use], W)).toBe(true);
    expect(store.degraded).toBe(false);

    proxy.cut();
    // Pooled connections are dead and new ones are refused: every kind of call fails, quickly.
    const results = await Promise.all([
      timed(store.tryConsume([use], W)), timed(store.changeStamp()), timed(store.appendAudit([{ at: 'x', kind: 'k', actor: 'a', data: {} }])),
      ...Array.from({ length: 10 }, () => timed(store.tryConsume([use], W))),
    ]);
    for (const r of results) {
      expect(r.error).toBeInstanceOf(StoreError);
      expect((r.error as StoreError).code).toBe('unavailable');
      expect((r.error as Error).message).not.toContain(parseMysqlUri(uri, {}).password);
      expect(r.ms).toBeLessThan(1500);
    }
    expect(store.degraded).toBe(true);
    // While it is known to be down, calls do not even wait for the network.
    const quick = await timed(store.changeStamp());
    expect(quick.error).toBeInstanceOf(StoreError);
    expect(quick.ms).toBeLessThan(50);

    proxy.restore();
    const deadline = Date.now() + 5000;
    let ok = false;
    while (!ok && Date.now() < deadline) {
      ok = await store.tryConsume([use], W).catch(() => false);
      if (!ok) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ok).toBe(true);
    expect(store.degraded).toBe(false);
    // Nothing was counted for the failed calls: exactly the two successful uses.
    expect((await store.listQuota())[0]?.dayCount).toBe(2);
  });

  it('reports a database that is not there at all as unavailable, within the connect timeout', async () => {
    proxy.cut();
    const r = await timed(MysqlStore.open(`mysql://u:p@127.0.0.1:${proxy.port}/kss_test_none`));
    proxy.restore();
    expect(r.error).toMatchObject({ code: 'unavailable' });
    expect(r.ms).toBeLessThan(1500);
  });
});

describe('MySQL store with a wrong URI', () => {
  it('says when the login is refused or the database does not exist, without the password', async () => {
    const t = parseMysqlUri(mysqlTestEnv().uri, {});
    const bad = await MysqlStore.open(`mysql://${t.user}:wrong-secret-pw@${t.host}:${t.port}/${t.database}`).catch((e) => e);
    expect(bad).toBeInstanceOf(StoreError);
    expect(bad.message).toMatch(/refused the login; check the user and the password/);
    expect(bad.message).not.toContain('wrong-secret-pw');
    const missing = await MysqlStore.open(`mysql://${t.user}:${t.password}@${t.host}:${t.port}/kss_test_does_not_exist`).catch((e) => e);
    expect(missing).toMatchObject({ code: 'not-found', message: expect.stringMatching(/does not exist; create it first/) });
  });
});
