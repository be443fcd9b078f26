import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import { StoreError } from '../../runtime/store/types.js';
import { generateIdentity } from '../../runtime/identity/keys.js';
import { createToken, hashToken, revokeToken } from '../../runtime/admin/tokens.js';
import { clearEntry, sqliteStores, use, W1 } from './helpers.js';

const stores = sqliteStores();
afterEach(() => stores.cleanup());
const fresh = () => stores.fresh();
const policy = (ruleIds: string[]) => ({ source: 'x', file: 'k.yml', artifactJson: '{}', sha256: 'ab', ruleIds, loadedBy: 'test' });

describe('SQLite store', () => {
  it('refuses to open a data directory without a keyserver unless asked to create', () => {
    const { dir } = fresh();
    expect(() => SqliteStore.open(join(dir, 'none'), { create: false })).toThrow(/no keyserver/);
  });

  it('activating a policy keeps counters of unchanged rule ids and resets the others', async () => {
    const { store } = fresh();
    await store.tryConsume([use('keep', 'p', null, 5), use('gone', 'p', null, 5)], W1);
    const before = await store.changeStamp();
    const a = await store.activatePolicy(policy(['keep', 'new']));
    expect(a).toMatchObject({ carried: ['keep'], reset: ['gone'], policy: { version: 1 } });
    expect((await store.listQuota()).map((r) => r.ruleId)).toEqual(['keep']);
    const after = await store.changeStamp();
    expect(after.policyVersion).toBe(1);
    expect(after.quotaEpoch).toBeGreaterThan(before.quotaEpoch);
    expect((await store.activePolicy())?.version).toBe(1);
    await store.activatePolicy(policy(['keep']));
    expect((await store.listPolicies()).map((p) => p.version)).toEqual([2, 1]);
    await store.close();
  });

  it('clears quota by profile, by rule id, or all, and bumps the epoch', async () => {
    const { store } = fresh();
    await store.tryConsume([use('r1', 'p1', null, 5), use('r2', 'p1', null, 5)], W1);
    await store.tryConsume([use('r1', 'p2', null, 5)], W1);
    const e0 = (await store.changeStamp()).quotaEpoch;
    expect((await store.clearQuota({ profileId: 'p1', ruleId: 'r2' }, clearEntry)).cleared).toBe(1);
    expect((await store.clearQuota({ profileId: 'p1' }, clearEntry)).cleared).toBe(1);
    expect((await store.clearQuota({}, clearEntry)).cleared).toBe(1);
    expect((await store.changeStamp()).quotaEpoch).toBe(e0 + 3);
    await store.close();
  });

  it('stores tokens hashed; revoked tokens are not found', async () => {
    const { store } = fresh();
    const { token, record } = await createToken(store, 'client', 'ci', 'test');
    expect(token).toMatch(/^kss_[0-9a-f]{8}_/);
    const raw = new Database(join(store.location.slice('sqlite:'.length)));
    expect(JSON.stringify(raw.prepare('SELECT * FROM tokens').all())).not.toContain(token);
    raw.close();
    expect((await store.findToken(hashToken(token)))?.role).toBe('client');
    expect(await revokeToken(store, record.id, 'test')).toBe(true);
    expect(await revokeToken(store, record.id, 'test')).toBe(false);
    expect(await store.findToken(hashToken(token))).toBeNull();
    await store.close();
  });

  it('one serve lock per data directory, released on release and when the process dies', async () => {
    const { store, dir } = fresh();
    const other = SqliteStore.open(dir, { create: false });
    const release = await store.acquireServeLock();
    await expect(other.acquireServeLock()).rejects.toMatchObject({ code: 'locked' } satisfies Partial<StoreError>);
    // The CLI can still use the database while a server holds the lock.
    expect((await other.clearQuota({}, clearEntry)).cleared).toBe(0);
    release();
    const r2 = await other.acquireServeLock();
    r2();
    // Another process sees the lock as well.
    const held = await store.acquireServeLock();
    const child = spawnSync(process.execPath, ['-e', `
      const D = require('better-sqlite3'); const db = new D(process.argv[1]);
      try { db.exec('PRAGMA busy_timeout=0; PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE;'); console.log('got'); } catch { console.log('busy'); }
    `, join(dir, 'serve.lock')], { encoding: 'utf8' });
    expect(child.stdout.trim()).toBe('busy');
    held();
    await other.close();
    await store.close();
  });

  it('identity is created once', async () => {
    const { store } = fresh();
    const k = generateIdentity();
    await store.createIdentity(k);
    await expect(store.createIdentity(k)).rejects.toMatchObject({ code: 'exists' });
    expect(await store.getIdentity()).toEqual(k);
    await store.close();
  });
});
