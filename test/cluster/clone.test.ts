/** clone-db: a single-machine keyserver moves into MySQL with quotas, tokens and its audit chain. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainVerifier } from '../../runtime/audit/chain.js';
import { verifyAudit } from '../../runtime/admin/audit.js';
import { createKeyserver, setEnabled } from '../../runtime/admin/keyserver.js';
import { createToken, hashToken } from '../../runtime/admin/tokens.js';
import { cloneToMysql } from '../../runtime/cluster/clone.js';
import { readLocalKey } from '../../runtime/identity/local-key.js';
import { MysqlStore } from '../../runtime/store/mysql/store.js';
import { openStore } from '../../runtime/store/open.js';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import type { AuditEntry, KssStore } from '../../runtime/store/types.js';
import { dropDatabase, freshDatabase } from './support/mysql.js';
import { windowAt } from '../support/time.js';

const W = windowAt('2026-03-01T09:30:00Z');

async function allAudit(store: KssStore): Promise<AuditEntry[]> {
  return store.readAudit(0, 100_000);
}

describe('clone-db (SQLite to MySQL)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kss-clone-'));
  const dbs: string[] = [];
  const db = async () => {
    const uri = await freshDatabase();
    dbs.push(uri);
    return uri;
  };
  afterAll(async () => {
    for (const uri of dbs) await dropDatabase(uri);
    rmSync(root, { recursive: true, force: true });
  });

  /** A keyserver with two policy versions, counters, tokens (one revoked) and an audit log. */
  async function singleMachine(name: string): Promise<{ dir: string; clientToken: string }> {
    const dir = join(root, name);
    await createKeyserver({ dataDir: dir }, 'cli:test@host');
    const s = SqliteStore.open(dir, { create: false });
    try {
      await s.activatePolicy({ source: 'v1', file: 'a.yml', artifactJson: '{"v":1}', sha256: 'a'.repeat(64), ruleIds: ['r1'], loadedBy: 'cli:t' });
      await s.activatePolicy({ source: 'v2', file: 'b.yml', artifactJson: '{"v":2}', sha256: 'b'.repeat(64), ruleIds: ['r1', 'r2'], loadedBy: 'cli:t' });
      await setEnabled(s, true, 'cli:t');
      for (let i = 0; i < 7; i++) await s.tryConsume([{ ruleId: 'r1', profileId: 'p1', perHour: null, perDay: 10, persistent: true }], W);
      await s.tryConsume([{ ruleId: 'r2', profileId: 'p2', perHour: 5, perDay: null, persistent: true }], W);
      const client = await createToken(s, 'client', 'app', 'cli:t');
      const old = await createToken(s, 'admin', 'old', 'cli:t');
      await s.revokeToken(old.record.id, '2026-03-01T10:00:00.000Z');
      await s.appendAudit(Array.from({ length: 25 }, (_, i) => ({ at: W.day, kind: 'decision', actor: 'api:x', data: { i } })));
      return { dir, clientToken: client.token };
    } finally {
      await s.close();
    }
  }

  it('keeps identity, policies, enabled flag, quotas, tokens and the audit chain', async () => {
    const { dir, clientToken } = await singleMachine('ks1');
    const before = SqliteStore.open(dir, { create: false });
    const want = {
      identity: await before.getIdentity(), policies: await before.listPolicies(), stamp: await before.changeStamp(),
      quota: await before.listQuota(), tokens: await before.listTokens(), audit: await allAudit(before),
    };
    await before.close();

    const uri = await db();
    const report = await cloneToMysql(dir, uri, 'cli:test@host');
    expect(report).toMatchObject({ keyserverId: want.identity!.id, policyVersions: 2, quotaCounters: 2, tokens: 2, auditEntries: want.audit.length });

    // The data directory now opens the shared database.
    const after = await openStore({ dataDir: dir });
    try {
      expect(after.location).toMatch(/^mysql:\/\//);
      // The data directory signs with the same key (its key file); the database has the public key only.
      expect(await after.getIdentity()).toEqual(want.identity);
      expect(readLocalKey(dir)).toEqual(want.identity);
      const bare = await MysqlStore.open(uri);
      const { privateKey: _secret, ...publicPart } = want.identity!;
      await expect(bare.getIdentity()).resolves.toStrictEqual(publicPart);
      await bare.close();
      expect(await after.listPolicies()).toEqual(want.policies);
      expect((await after.activePolicy())?.version).toBe(2);
      const stamp = await after.changeStamp();
      expect({ enabled: stamp.enabled, policyVersion: stamp.policyVersion }).toEqual({ enabled: true, policyVersion: want.stamp.policyVersion });
      expect(await after.listQuota()).toEqual(want.quota);
      expect(await after.listTokens()).toEqual(want.tokens);
      expect((await after.findToken(hashToken(clientToken)))?.role).toBe('client');
      // Counting goes on where it stopped: 3 more of per_day 10.
      const u = [{ ruleId: 'r1', profileId: 'p1', perHour: null, perDay: 10, persistent: true }];
      const more = [];
      for (let i = 0; i < 5; i++) more.push(await after.tryConsume(u, W));
      expect(more).toEqual([true, true, true, false, false]);
      // Same chain, same hashes, plus the clone's own entry; it verifies end to end.
      const chain = await allAudit(after);
      expect(chain.slice(0, want.audit.length)).toEqual(want.audit);
      expect(chain.at(-1)).toMatchObject({ kind: 'keyserver.clone-db', seq: want.audit.length + 1 });
      const v = chainVerifier();
      v.add(chain);
      expect(v.problems).toEqual([]);
      // ...and is signed in its new database up to the clone's own entry.
      const verified = await verifyAudit(after, dir);
      expect(verified.problems).toEqual([]);
      expect(verified.signedUpTo?.seq).toBe(chain.length);
      // And new entries keep chaining.
      await after.appendAudit([{ at: 'now', kind: 'decision', actor: 'api:y', data: {} }]);
      const v2 = chainVerifier();
      v2.add(await allAudit(after));
      expect(v2.problems).toEqual([]);
    } finally {
      await after.close();
    }
  });

  it('refuses a target that already holds a keyserver, and a data directory already moved', async () => {
    const a = await singleMachine('ks2');
    const b = await singleMachine('ks3');
    const uri = await db();
    await cloneToMysql(a.dir, uri, 'cli:t');
    await expect(cloneToMysql(b.dir, uri, 'cli:t')).rejects.toMatchObject({ code: 'exists', message: expect.stringMatching(/already holds keyserver/) });
    // b stays a working single-machine keyserver.
    const sb = await openStore({ dataDir: b.dir });
    expect(sb.location).toMatch(/^sqlite:/);
    await sb.close();
    await expect(cloneToMysql(a.dir, await db(), 'cli:t')).rejects.toMatchObject({ message: expect.stringMatching(/already in cluster mode/) });
  });

  it('refuses while a server is running on the data directory', async () => {
    const { dir } = await singleMachine('ks4');
    const serving = SqliteStore.open(dir, { create: false });
    const release = await serving.acquireServeLock();
    try {
      await expect(cloneToMysql(dir, await db(), 'cli:t')).rejects.toMatchObject({ code: 'locked' });
    } finally {
      release();
      await serving.close();
    }
  });

  it('refuses to move a keyserver whose audit chain does not verify', async () => {
    const { dir } = await singleMachine('ks5');
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(join(dir, 'kss.db'));
    raw.prepare("UPDATE audit SET data = '{\"i\":999}' WHERE seq = 5").run();
    raw.close();
    const uri = await db();
    await expect(cloneToMysql(dir, uri, 'cli:t')).rejects.toMatchObject({ code: 'corrupt' });
    const s = await openStore({ dataDir: dir });
    expect(s.location).toMatch(/^sqlite:/);
    await s.close();
  });
});

describe('clone-db target checks', () => {
  let uri: string;
  beforeAll(async () => {
    uri = await freshDatabase();
  });
  afterAll(async () => {
    await dropDatabase(uri);
  });
  it('reports a data directory without a keyserver', async () => {
    await expect(cloneToMysql(join(tmpdir(), 'kss-nothing-here'), uri, 'cli:t')).rejects.toMatchObject({ code: 'not-found' });
  });
});
