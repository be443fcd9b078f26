/**
 * SQLite schema versions 2 (the instance list knows policy versions and clean stops), 3 (the
 * mirror of servers' in-memory counters), 5 (the private key leaves kss.db for the data
 * directory's key file) and 6 (the shared counters of several workers), on files written by
 * earlier versions (version 4, signed audit checkpoints: test/audit/migration.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { recoveryIngestKey } from '../../runtime/admin/keyserver.js';
import { writeBackup } from '../../runtime/identity/backup-shares.js';
import { generateIdentity } from '../../runtime/identity/keys.js';
import { localKeyPath, readLocalKey, writeLocalKey } from '../../runtime/identity/local-key.js';
import { SCHEMA_VERSION } from '../../runtime/store/sqlite/schema.js';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import { windowAt } from '../support/time.js';
import { expectNoPrivateKey, tempDir, use } from './helpers.js';

const dirs: Array<() => void> = [];
afterEach(() => dirs.splice(0).forEach((f) => f()));

/** A data directory whose file is taken back to what an earlier kss wrote, by `back` on the raw database. */
async function earlierFile(back: (db: Database.Database) => void): Promise<string> {
  const t = tempDir();
  dirs.push(t.cleanup);
  await SqliteStore.open(t.dir, { create: true }).close();
  const db = new Database(join(t.dir, 'kss.db'));
  back(db);
  db.close();
  return t.dir;
}

describe('SQLite schema version 2', () => {
  it('a version 1 file keeps its instances, which show no policy version until they beat again', async () => {
    // Back to the file the previous kss wrote, with an instance that beat then.
    const dir = await earlierFile((db) => {
      db.exec('ALTER TABLE instances DROP COLUMN policy_version; ALTER TABLE instances DROP COLUMN stopped_at; DROP TABLE quota_memory; DROP TABLE audit_checkpoint; DROP TABLE quota_shared; PRAGMA user_version = 1;');
      db.prepare('INSERT INTO instances VALUES (?, ?, ?, ?, ?)').run('old', 'h', '0.1.0', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:05.000Z');
    });
    const store = SqliteStore.open(dir, { create: false });
    try {
      expect(await store.listInstances()).toEqual([
        { id: 'old', host: 'h', version: '0.1.0', policyVersion: null, startedAt: '2026-01-01T00:00:00.000Z', stoppedAt: null, lastHeartbeat: '2026-01-01T00:00:05.000Z' },
      ]);
      await store.heartbeat({ id: 'old', host: 'h', version: '0.2.0', policyVersion: 4, startedAt: '2026-01-02T00:00:00.000Z', stoppedAt: null }, '2026-01-02T00:00:01.000Z');
      expect((await store.listInstances())[0]).toMatchObject({ version: '0.2.0', policyVersion: 4 });
    } finally {
      await store.close();
    }
    const reopened = new Database(join(dir, 'kss.db'));
    expect(reopened.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    reopened.close();
  });
});

describe('SQLite schema version 3', () => {
  it('a version 2 file gets the mirror of in-memory counters, and its counters keep counting in their local hour', async () => {
    const dir = await earlierFile((db) => {
      db.exec('DROP TABLE quota_memory; DROP TABLE audit_checkpoint; DROP TABLE quota_shared; PRAGMA user_version = 2;');
      // As kss 0.1 wrote it at 10:xx in New York, just before the upgrade.
      db.prepare('INSERT INTO quota VALUES (?, ?, ?, ?, ?, ?)').run('r', 'p', '2026-07-15T10', 2, '2026-07-15', 2);
    });
    const store = SqliteStore.open(dir, { create: false });
    try {
      const w = windowAt('2026-07-15T10:40:00-04:00', 'America/New_York');
      expect(await store.tryConsume([use('r', 'p', 2, null)], w)).toBe(false);
      expect(await store.tryConsume([use('r', 'p', 3, null)], w)).toBe(true);
      await store.saveMemoryQuota('i1', { replace: false, removals: [], upserts: [{ ruleId: 'm', profileId: 'p', hour: w.hour, hourCount: 1, day: w.day, dayCount: 1 }] });
      expect((await store.listMemoryQuota()).map((r) => r.ruleId)).toEqual(['m']);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite schema version 5', () => {
  /** A version 4 file: the private key in the identity row, no key file, one audit entry. */
  async function version4File() {
    const identity = generateIdentity();
    const dir = await earlierFile(() => undefined);
    const store = SqliteStore.open(dir, { create: false });
    await store.createIdentity(identity);
    await store.appendAudit([{ at: identity.createdAt, kind: 'keyserver.create', actor: 'cli:t', data: { keyserver_id: identity.id } }]);
    await store.close();
    rmSync(localKeyPath(dir));
    const db = new Database(join(dir, 'kss.db'));
    db.prepare('UPDATE identity SET private_key = ?').run(identity.privateKey);
    db.exec('DROP TABLE quota_shared; PRAGMA user_version = 4;');
    db.close();
    expect(() => expectNoPrivateKey(dir, identity)).toThrow(); // as an older kss left it
    return { dir, identity };
  }

  it('moves a version 4 file\'s private key to the key file (0600) and leaves none of it in kss.db', async () => {
    const { dir, identity } = await version4File();
    const store = SqliteStore.open(dir, { create: false });
    try {
      expect(await store.getIdentity()).toEqual(identity);
      expect(readLocalKey(dir)).toEqual(identity);
      expect(statSync(localKeyPath(dir)).mode & 0o777).toBe(0o600);
      expect((await store.readAudit(0, 10)).map((e) => e.kind)).toEqual(['keyserver.create']);
      expectNoPrivateKey(dir, identity);
    } finally {
      await store.close();
    }
    const db = new Database(join(dir, 'kss.db'), { readonly: true });
    expect(db.prepare('SELECT private_key FROM identity').get()).toEqual({ private_key: '' });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
    expectNoPrivateKey(dir, identity);
  });

  it('a lost key file is named, with what to do, and recovery-ingest-key puts it back in place', async () => {
    const { dir, identity } = await version4File();
    SqliteStore.open(dir, { create: false }).close();
    renameSync(localKeyPath(dir), join(dir, 'lost.json'));
    const store = SqliteStore.open(dir, { create: false });
    await expect(store.getIdentity()).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/signing key of keyserver `ks_\w+` is missing: kss\.db holds its public key only, and `.*signing-key\.json` does not exist; restore it .*`kss keyserver recovery-ingest-key BACKUP --data-dir /),
    });
    await store.close();
    const path = join(dir, 'backup.kssbackup');
    await writeBackup({ path, passphrase: 'correct horse battery staple' }, identity);
    expect((await recoveryIngestKey({ dataDir: dir }, [path], 'correct horse battery staple', 'cli:t')).id).toBe(identity.id);
    const back = SqliteStore.open(dir, { create: false });
    try {
      expect(await back.getIdentity()).toEqual(identity);
      expect((await back.readAudit(0, 10)).map((e) => e.kind)).toEqual(['keyserver.create', 'keyserver.recover']);
      // Another keyserver's backup does not replace it.
      const other = generateIdentity();
      await expect(back.createIdentity(other)).rejects.toMatchObject({ code: 'exists' });
    } finally {
      await back.close();
    }
  });

  it('a key file of another keyserver is refused, with what to do', async () => {
    const { dir } = await version4File();
    SqliteStore.open(dir, { create: false }).close();
    rmSync(localKeyPath(dir));
    const other = generateIdentity();
    writeLocalKey(dir, other);
    const store = SqliteStore.open(dir, { create: false });
    try {
      await expect(store.getIdentity()).rejects.toMatchObject({
        code: 'corrupt',
        message: expect.stringMatching(new RegExp(`holds the signing key of keyserver \`${other.id}\`, which does not match kss\\.db's public key .*move the file aside and restore it .*recovery-ingest-key`)),
      });
    } finally {
      await store.close();
    }
  });
});

describe('SQLite schema version 6', () => {
  it('a version 5 file gets the shared counters of a multi-worker server, and keeps its mirror', async () => {
    const dir = await earlierFile((db) => {
      db.exec('DROP TABLE quota_shared; PRAGMA user_version = 5;');
      db.prepare('INSERT INTO quota_memory VALUES (?, ?, ?, ?, ?, ?, ?)').run('i1', 'm', 'p', '2026-07-15T10+00:00', 1, '2026-07-15', 1);
    });
    const store = SqliteStore.open(dir, { create: false });
    try {
      const w = windowAt('2026-07-15T10:40:00Z');
      expect(await store.tryConsume([use('s', 'p', null, 1, false)], w, 'i2')).toBe(true);
      expect(await store.tryConsume([use('s', 'p', null, 1, false)], w, 'i2')).toBe(false);
      expect((await store.listMemoryQuota()).map((r) => [r.instanceId, r.ruleId])).toEqual([['i1', 'm'], ['i2', 's']]);
    } finally {
      await store.close();
    }
  });
});
