/**
 * The cluster database's tables and their versioned migrations. MySQL DDL is not transactional,
 * so every step is idempotent (IF NOT EXISTS, INSERT IGNORE) and the steps run under a named lock:
 * several instances starting at once migrate once.
 */
import { StoreError } from '../types.js';
import { identityFromPrivateKey } from '../../identity/keys.js';
import { writeLocalKey } from '../../identity/local-key.js';
import { legacyToCanonical } from '../../audit/chain.js';
import type { Db, Tx } from './connection.js';
import { readClusterMarker } from './marker.js';

/** Exact, case-sensitive comparison of ids everywhere (`utf8mb4_bin`). */
const T = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

/** A statement, or a step that must look before it acts (MySQL has no DROP COLUMN IF EXISTS). */
export type MigrationStep = string | ((tx: Tx, ctx: MigrationContext) => Promise<void>);

export interface MigrationContext {
  /**
   * The data directory of the instance running the migration. When it had joined this keyserver
   * (its cluster.json names it), the private key about to be cleared is kept there first, so an
   * upgrade never loses the only copy of a key that has no backup.
   */
  keyDir?: string;
}

/**
 * Version 2: the database keeps the keyserver's PUBLIC key only. Version 1 stored the private key
 * in kss_identity, so anyone who could read the database could sign; now each instance keeps it
 * in its data directory (runtime/identity/local-key.ts). The value is overwritten before the
 * column goes, because an instant DROP COLUMN may leave old row images on disk.
 */
async function dropPrivateKeyColumn(tx: Tx, ctx: MigrationContext): Promise<void> {
  const [col] = await tx.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'kss_identity' AND column_name = 'private_key'`,
  );
  if (Number(col?.n ?? 0) === 0) return;
  if (ctx.keyDir !== undefined) await rescueKey(tx, ctx.keyDir);
  await tx.execute(`UPDATE kss_identity SET private_key = ''`);
  await tx.execute('ALTER TABLE kss_identity DROP COLUMN private_key');
}

async function rescueKey(tx: Tx, keyDir: string): Promise<void> {
  const [row] = await tx.query<{ id: string; public_key: string; private_key: string; created_at: string }>(
    'SELECT id, public_key, private_key, created_at FROM kss_identity WHERE singleton = 1',
  );
  if (!row || row.private_key === '' || readClusterMarker(keyDir)?.keyserverId !== row.id) return;
  const identity = identityFromPrivateKey(row.private_key, row.created_at);
  if (identity.id === row.id && identity.publicKey === row.public_key) writeLocalKey(keyDir, identity);
}

/** Version 3: the policy version each instance runs, and whether it stopped cleanly (`instance list`). */
async function addInstanceColumns(tx: Tx): Promise<void> {
  const columns = { policy_version: 'INT NULL', stopped_at: 'VARCHAR(32) NULL' };
  for (const [name, type] of Object.entries(columns)) {
    const [col] = await tx.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'kss_instance' AND column_name = ?`,
      [name],
    );
    if (Number(col?.n ?? 0) === 0) await tx.execute(`ALTER TABLE kss_instance ADD COLUMN ${name} ${type}`);
  }
}

/**
 * Version 5: the audit rows' data as canonical JSON (the hash was always over the canonical form,
 * so no hash changes). Only rows exactly as an older kss wrote them are rewritten: a row edited to
 * hold duplicate keys stays, for `audit --verify` to report.
 */
async function canonicalAuditData(tx: Tx): Promise<void> {
  for (let after = 0; ;) {
    const rows = await tx.query<{ seq: number; data: string }>('SELECT seq, data FROM kss_audit WHERE seq > ? ORDER BY seq LIMIT 5000', [after]);
    if (rows.length === 0) return;
    for (const row of rows) {
      const canonical = legacyToCanonical(row.data);
      if (canonical !== null && canonical !== row.data) await tx.execute('UPDATE kss_audit SET data = ? WHERE seq = ?', [canonical, row.seq]);
    }
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export const MIGRATIONS: ReadonlyArray<{ version: number; steps: MigrationStep[] }> = [
  {
    version: 1,
    steps: [
      `CREATE TABLE IF NOT EXISTS kss_identity (
        singleton TINYINT NOT NULL PRIMARY KEY, id VARCHAR(64) NOT NULL, public_key TEXT NOT NULL,
        private_key TEXT NOT NULL, created_at VARCHAR(32) NOT NULL) ${T}`,
      // One row every instance polls: the active policy, the enabled flag and change epochs.
      `CREATE TABLE IF NOT EXISTS kss_state (
        singleton TINYINT NOT NULL PRIMARY KEY, enabled TINYINT NOT NULL DEFAULT 0,
        active_version INT NOT NULL DEFAULT 0, quota_epoch BIGINT NOT NULL DEFAULT 0,
        token_epoch BIGINT NOT NULL DEFAULT 0) ${T}`,
      `INSERT IGNORE INTO kss_state (singleton) VALUES (1)`,
      `CREATE TABLE IF NOT EXISTS kss_policy (
        version INT NOT NULL PRIMARY KEY, source MEDIUMTEXT NOT NULL, file VARCHAR(1024) NOT NULL,
        artifact LONGTEXT NOT NULL, sha256 CHAR(64) NOT NULL, loaded_by VARCHAR(255) NOT NULL,
        loaded_at VARCHAR(32) NOT NULL) ${T}`,
      `CREATE TABLE IF NOT EXISTS kss_quota (
        rule_id VARCHAR(191) NOT NULL, profile_id VARCHAR(191) NOT NULL,
        hour VARCHAR(16) NOT NULL, hour_count INT NOT NULL, day VARCHAR(10) NOT NULL,
        day_count INT NOT NULL, PRIMARY KEY (rule_id, profile_id), KEY by_profile (profile_id)) ${T}`,
      `CREATE TABLE IF NOT EXISTS kss_token (
        id VARCHAR(64) NOT NULL PRIMARY KEY, hash CHAR(64) NOT NULL, role VARCHAR(16) NOT NULL,
        label VARCHAR(255) NOT NULL, created_at VARCHAR(32) NOT NULL, revoked_at VARCHAR(32) NULL,
        UNIQUE KEY by_hash (hash)) ${T}`,
      `CREATE TABLE IF NOT EXISTS kss_audit (
        seq BIGINT NOT NULL PRIMARY KEY, at VARCHAR(32) NOT NULL, kind VARCHAR(64) NOT NULL,
        actor VARCHAR(255) NOT NULL, data LONGTEXT NOT NULL, prev_hash CHAR(64) NOT NULL,
        hash CHAR(64) NOT NULL) ${T}`,
      // The chain's head in its own row: appenders lock only this, never the state row.
      `CREATE TABLE IF NOT EXISTS kss_audit_head (
        singleton TINYINT NOT NULL PRIMARY KEY, seq BIGINT NOT NULL, hash CHAR(64) NOT NULL) ${T}`,
      `INSERT IGNORE INTO kss_audit_head (singleton, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
      `CREATE TABLE IF NOT EXISTS kss_instance (
        id VARCHAR(64) NOT NULL PRIMARY KEY, host VARCHAR(255) NOT NULL, version VARCHAR(64) NOT NULL,
        started_at VARCHAR(32) NOT NULL, last_heartbeat VARCHAR(32) NOT NULL) ${T}`,
    ],
  },
  { version: 2, steps: [dropPrivateKeyColumn] },
  { version: 3, steps: [addInstanceColumns] },
  {
    version: 4,
    steps: [
      // SPEC 4.6: an hour bucket is named by its local hour and offset (`2026-11-01T01-05:00`).
      'ALTER TABLE kss_quota MODIFY hour VARCHAR(32) NOT NULL',
      // The in-memory counters of running servers, mirrored so that other processes can list them.
      `CREATE TABLE IF NOT EXISTS kss_quota_memory (
        instance_id VARCHAR(64) NOT NULL, rule_id VARCHAR(191) NOT NULL, profile_id VARCHAR(191) NOT NULL,
        hour VARCHAR(32) NOT NULL, hour_count INT NOT NULL, day VARCHAR(10) NOT NULL, day_count INT NOT NULL,
        PRIMARY KEY (instance_id, rule_id, profile_id)) ${T}`,
    ],
  },
  {
    version: 5,
    steps: [
      // Signed checkpoints of the audit chain's head (runtime/audit/checkpoint.ts).
      `CREATE TABLE IF NOT EXISTS kss_audit_checkpoint (
        seq BIGINT NOT NULL PRIMARY KEY, hash CHAR(64) NOT NULL, at VARCHAR(32) NOT NULL,
        signature VARCHAR(128) NOT NULL) ${T}`,
      canonicalAuditData,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The schema version in the database; 0 when it holds no kss tables at all. */
export async function schemaVersion(db: Db): Promise<number> {
  const tables = await db.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'kss_schema'`,
  );
  if (Number(tables[0]?.n ?? 0) === 0) return 0;
  const rows = await db.query<{ v: number | null }>('SELECT MAX(version) AS v FROM kss_schema');
  return Number(rows[0]?.v ?? 0);
}

/**
 * Brings the schema up to SCHEMA_VERSION. Without `create`, a database with no kss tables is
 * refused: an instance pointed at the wrong database must not quietly fill it.
 */
export async function migrate(db: Db, create: boolean, ctx: MigrationContext = {}): Promise<void> {
  const current = await schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new StoreError('corrupt', `the database ${db.location} has schema version ${current}, newer than this kss understands (${SCHEMA_VERSION}); upgrade kss on this machine`);
  }
  if (current === SCHEMA_VERSION) return;
  if (current === 0 && !create) {
    throw new StoreError('not-found', `the database ${db.location} holds no keyserver; create one with \`kss keyserver create --db-uri URI\` or move one there with \`kss keyserver clone-db URI\``);
  }
  // GET_LOCK is per connection, so take it and run the steps on one connection (a transaction).
  await db.tx(async (tx) => {
    const [got] = await tx.query<{ l: number | null }>(`SELECT GET_LOCK('kss_migrate', 2) AS l`);
    if (Number(got?.l) !== 1) throw new StoreError('unavailable', `another kss is migrating ${db.location}; try again`);
    try {
      await tx.execute(`CREATE TABLE IF NOT EXISTS kss_schema (version INT NOT NULL PRIMARY KEY, applied_at VARCHAR(32) NOT NULL) ${T}`);
      const rows = await tx.query<{ v: number | null }>('SELECT MAX(version) AS v FROM kss_schema');
      const done = Number(rows[0]?.v ?? 0);
      for (const m of MIGRATIONS) {
        if (m.version <= done) continue;
        for (const step of m.steps) {
          if (typeof step === 'string') await tx.execute(step);
          else await step(tx, ctx);
        }
        await tx.execute('INSERT IGNORE INTO kss_schema (version, applied_at) VALUES (?, ?)', [m.version, new Date().toISOString()]);
      }
    } finally {
      await tx.query(`SELECT RELEASE_LOCK('kss_migrate')`);
    }
  });
}
