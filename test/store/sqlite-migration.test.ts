/**
 * SQLite schema versions 2 (the instance list knows policy versions and clean stops) and 3 (the
 * mirror of servers' in-memory counters), on files written by earlier versions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '../../runtime/store/sqlite/schema.js';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import { windowAt } from '../support/time.js';
import { tempDir, use } from './helpers.js';

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
      db.exec('ALTER TABLE instances DROP COLUMN policy_version; ALTER TABLE instances DROP COLUMN stopped_at; DROP TABLE quota_memory; PRAGMA user_version = 1;');
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
      db.exec('DROP TABLE quota_memory; PRAGMA user_version = 2;');
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
