/**
 * Schema version 2: a database written by version 1 (which stored the private key in
 * kss_identity) loses the key on upgrade. An instance that had joined that keyserver keeps the
 * key in its data directory first, so an upgrade never destroys the only copy.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity } from '../../runtime/identity/keys.js';
import { readLocalKey } from '../../runtime/identity/local-key.js';
import { writeClusterMarker } from '../../runtime/store/mysql/marker.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../runtime/store/mysql/schema.js';
import { MysqlStore } from '../../runtime/store/mysql/store.js';
import type { SigningIdentity } from '../../runtime/store/types.js';
import { admin, dropDatabase, freshDatabase } from './support/mysql.js';
import { windowAt } from '../support/time.js';

const root = mkdtempSync(join(tmpdir(), 'kss-migrate-'));
const made: string[] = [];

/** A database exactly as kss with schema version 1 left it, holding `identity` with its private key. */
async function versionOneDatabase(identity: SigningIdentity): Promise<string> {
  const uri = await freshDatabase();
  made.push(uri);
  await admin(uri, 'CREATE TABLE kss_schema (version INT NOT NULL PRIMARY KEY, applied_at VARCHAR(32) NOT NULL)');
  for (const step of MIGRATIONS[0]!.steps) {
    if (typeof step !== 'string') throw new Error('version 1 is plain statements');
    await admin(uri, step);
  }
  await admin(uri, `INSERT INTO kss_schema VALUES (1, '2026-01-01T00:00:00.000Z')`);
  await admin(uri, 'INSERT INTO kss_identity (singleton, id, public_key, private_key, created_at) VALUES (1, ?, ?, ?, ?)', [
    identity.id, identity.publicKey, identity.privateKey, identity.createdAt,
  ]);
  return uri;
}

const columns = async (uri: string) =>
  (await admin<{ c: string }>(uri, `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'kss_identity' ORDER BY c`)).map((r) => r.c);

afterAll(async () => {
  for (const uri of made) await dropDatabase(uri);
  rmSync(root, { recursive: true, force: true });
});

describe('MySQL schema version 2: no private key in the database', () => {
  it('clears the private key; an instance that had joined keeps it in its key file', async () => {
    const identity = generateIdentity();
    const uri = await versionOneDatabase(identity);
    expect(await columns(uri)).toContain('private_key');
    const joined = join(root, 'joined');
    writeClusterMarker(joined, { dbUri: uri, keyserverId: identity.id });

    const store = await MysqlStore.open(uri, { keyDir: joined });
    try {
      expect(await columns(uri)).toEqual(['created_at', 'id', 'public_key', 'singleton']);
      expect(readLocalKey(joined)).toEqual(identity);
      expect(await store.getIdentity()).toEqual(identity);
    } finally {
      await store.close();
    }
    const plain = await MysqlStore.open(uri);
    try {
      expect(await plain.getIdentity()).toStrictEqual({ id: identity.id, publicKey: identity.publicKey, createdAt: identity.createdAt });
    } finally {
      await plain.close();
    }
  });

  it('gives the key to no data directory that had not joined (serve --db-uri without initialize)', async () => {
    const identity = generateIdentity();
    const uri = await versionOneDatabase(identity);
    const stranger = join(root, 'stranger');
    const store = await MysqlStore.open(uri, { keyDir: stranger });
    try {
      expect(await columns(uri)).not.toContain('private_key');
      expect(readLocalKey(stranger)).toBeNull();
      expect((await store.getIdentity())?.privateKey).toBeUndefined();
      expect(JSON.stringify(await admin(uri, 'SELECT * FROM kss_identity'))).not.toContain(identity.privateKey);
    } finally {
      await store.close();
    }
  });
});

describe('MySQL schema version 3: the instance list knows policy versions and clean stops', () => {
  it('a version 2 database keeps its instances, which show no policy version until they beat again', async () => {
    const identity = generateIdentity();
    const uri = await versionOneDatabase(identity);
    // Up to version 2 only, as the previous kss left it, with an instance that beat then.
    const upToTwo = await MysqlStore.open(uri);
    await upToTwo.close();
    await admin(uri, 'DELETE FROM kss_schema WHERE version > 2');
    await admin(uri, 'ALTER TABLE kss_instance DROP COLUMN policy_version, DROP COLUMN stopped_at');
    await admin(uri, `INSERT INTO kss_instance VALUES ('old', 'h', '0.1.0', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:05.000Z')`);

    const store = await MysqlStore.open(uri);
    try {
      expect((await admin<{ v: number }>(uri, 'SELECT MAX(version) AS v FROM kss_schema'))[0]!.v).toBe(SCHEMA_VERSION);
      expect(await store.listInstances()).toEqual([
        { id: 'old', host: 'h', version: '0.1.0', policyVersion: null, startedAt: '2026-01-01T00:00:00.000Z', stoppedAt: null, lastHeartbeat: '2026-01-01T00:00:05.000Z' },
      ]);
      expect(await store.removeInstance('old')).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('MySQL schema version 4: hour buckets named with their offset (SPEC 4.6), mirrored in-memory counters', () => {
  it('widens the hour column and keeps counting a counter written before the upgrade in its local hour', async () => {
    const uri = await versionOneDatabase(generateIdentity());
    // As kss 0.1 wrote it at 10:xx in New York, just before the upgrade.
    await admin(uri, `INSERT INTO kss_quota VALUES ('r', 'p', '2026-07-15T10', 2, '2026-07-15', 2)`);
    const store = await MysqlStore.open(uri);
    try {
      const [hour] = await admin<{ n: number }>(uri, `SELECT character_maximum_length AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'kss_quota' AND column_name = 'hour'`);
      expect(Number(hour!.n)).toBe(32);
      const w = windowAt('2026-07-15T10:40:00-04:00', 'America/New_York');
      expect(await store.tryConsume([{ ruleId: 'r', profileId: 'p', perHour: 2, perDay: null, persistent: true }], w)).toBe(false);
      expect(await store.tryConsume([{ ruleId: 'r', profileId: 'p', perHour: 3, perDay: null, persistent: true }], w)).toBe(true);
      expect(await store.listQuota()).toEqual([{ ruleId: 'r', profileId: 'p', hour: '2026-07-15T10-04:00', hourCount: 3, day: '2026-07-15', dayCount: 3 }]);
      await store.saveMemoryQuota('i1', { replace: false, removals: [], upserts: [{ ruleId: 'm', profileId: 'p', hour: w.hour, hourCount: 1, day: w.day, dayCount: 1 }] });
      expect((await store.listMemoryQuota()).map((r) => r.instanceId)).toEqual(['i1']);
    } finally {
      await store.close();
    }
  });
});
