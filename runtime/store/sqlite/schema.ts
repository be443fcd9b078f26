/**
 * Versioned schema migrations for the SQLite store. `PRAGMA user_version` holds the number of
 * migrations applied; each migration runs once, in its own transaction. Append, never edit.
 */
import type Database from 'better-sqlite3';
import { legacyToCanonical } from '../../audit/chain.js';
import { moveKeyOutOfDatabase } from './identity.js';

/** What a step may need besides the database: the data directory that holds kss.db. */
export interface MigrationContext { dataDir: string }

/** A migration: SQL, or a step that must look at rows (run inside the migration's transaction). */
type Migration = string | ((db: Database.Database, ctx: MigrationContext) => void);

/**
 * Version 4: signed checkpoints of the audit chain's head (runtime/audit/checkpoint.ts), and the
 * audit rows' data made canonical JSON (their hash was always over the canonical form, so no hash
 * changes). Only rows exactly as an older kss wrote them (`JSON.stringify`) are rewritten: a row
 * someone edited to hold duplicate keys stays as it is, for `audit --verify` to report.
 */
function auditCheckpoints(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS audit_checkpoint (seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, at TEXT NOT NULL, signature TEXT NOT NULL)');
  const update = db.prepare('UPDATE audit SET data = ? WHERE seq = ?');
  const page = db.prepare<[number], { seq: number; data: string }>('SELECT seq, data FROM audit WHERE seq > ? ORDER BY seq LIMIT 10000');
  // Paged: better-sqlite3 cannot write while a statement iterates.
  for (let rows = page.all(0); rows.length > 0; rows = page.all(rows[rows.length - 1]!.seq)) {
    for (const row of rows) {
      const canonical = legacyToCanonical(row.data);
      if (canonical !== null && canonical !== row.data) update.run(canonical, row.seq);
    }
  }
}

const MIGRATIONS: Migration[] = [
  // 1: the first schema.
  `
  CREATE TABLE identity (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id TEXT NOT NULL, public_key TEXT NOT NULL, private_key TEXT NOT NULL, created_at TEXT NOT NULL
  );
  CREATE TABLE policies (
    version INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL, file TEXT NOT NULL, artifact_json TEXT NOT NULL, sha256 TEXT NOT NULL,
    loaded_by TEXT NOT NULL, loaded_at TEXT NOT NULL
  );
  CREATE TABLE state (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    active_policy INTEGER, enabled INTEGER NOT NULL DEFAULT 0,
    quota_epoch INTEGER NOT NULL DEFAULT 0, token_epoch INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO state (singleton) VALUES (1);
  CREATE TABLE quota (
    rule_id TEXT NOT NULL, profile_id TEXT NOT NULL,
    hour TEXT NOT NULL, hour_count INTEGER NOT NULL, day TEXT NOT NULL, day_count INTEGER NOT NULL,
    PRIMARY KEY (rule_id, profile_id)
  ) WITHOUT ROWID;
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL CHECK (role IN ('client','admin')),
    label TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT
  );
  CREATE TABLE audit (
    seq INTEGER PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL,
    data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL
  );
  CREATE TABLE instances (
    id TEXT PRIMARY KEY, host TEXT NOT NULL, version TEXT NOT NULL,
    started_at TEXT NOT NULL, last_heartbeat TEXT NOT NULL
  );
  `,
  // 2: the policy version each instance runs, and whether it stopped cleanly (`instance list`).
  `ALTER TABLE instances ADD COLUMN policy_version INTEGER;
   ALTER TABLE instances ADD COLUMN stopped_at TEXT;`,
  // 3: the in-memory counters of a running server, mirrored so that other processes can list them.
  // (Hour buckets got their offset in their name with SPEC 4.6: the column is text, nothing to change.)
  `
  CREATE TABLE quota_memory (
    instance_id TEXT NOT NULL, rule_id TEXT NOT NULL, profile_id TEXT NOT NULL,
    hour TEXT NOT NULL, hour_count INTEGER NOT NULL, day TEXT NOT NULL, day_count INTEGER NOT NULL,
    PRIMARY KEY (instance_id, rule_id, profile_id)
  ) WITHOUT ROWID;
  `,
  auditCheckpoints,
  // 5: the private key leaves kss.db for the data directory's key file (sqlite/identity.ts).
  (db, ctx) => moveKeyOutOfDatabase(db, ctx.dataDir),
  // 6: the non-persistent counters of a server that runs several worker processes (`kss serve
  // --workers N`): kept here so that every worker checks and counts the same ones, in the
  // transaction that counts the persistent ones. One server per SQLite store (the serve lock), so
  // the key is the counter's; instance_id says whose they are when they are listed.
  `
  CREATE TABLE quota_shared (
    rule_id TEXT NOT NULL, profile_id TEXT NOT NULL, instance_id TEXT NOT NULL,
    hour TEXT NOT NULL, hour_count INTEGER NOT NULL, day TEXT NOT NULL, day_count INTEGER NOT NULL,
    PRIMARY KEY (rule_id, profile_id)
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database to SCHEMA_VERSION; refuses a database written by a newer kss. Returns how
 * many migrations ran.
 */
export function migrate(db: Database.Database, ctx: MigrationContext): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`the database has schema version ${current}, newer than this kss (${SCHEMA_VERSION}); upgrade kss`);
  }
  for (let v = current; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      const m = MIGRATIONS[v]!;
      if (typeof m === 'string') db.exec(m);
      else m(db, ctx);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return Math.max(0, SCHEMA_VERSION - current);
}
