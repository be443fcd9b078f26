/**
 * The embedded store: one SQLite file (`<dataDir>/kss.db`) through better-sqlite3. Quota and
 * audit SQL live beside it (quota.ts, audit.ts), as in the MySQL store.
 *
 * Durability vs speed: WAL with synchronous=NORMAL. A committed transaction is in the WAL file
 * (in the OS page cache) before `tryConsume` returns, so a process crash, including kill -9,
 * loses nothing; only a power loss or kernel crash can lose the last transactions. That is the
 * failure the issue tests (kill -9 under load). FULL would fsync on every commit and cap
 * throughput at the disk's fsync rate.
 *
 * better-sqlite3 is synchronous, so every method does its work in one tick: a transaction can
 * never interleave with another request of this process. Other processes (the CLI) are
 * serialised by SQLite's write lock (busy_timeout covers the wait; a decision's writes wait by
 * yielding to the event loop instead of sleeping in SQLite, write-lock.ts).
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { splitCounters } from '../../quota/rule.js';
import type { MemoryQuotaChanges, MemoryQuotaRow, QuotaWindow, ThrottleUse } from '../../quota/types.js';
import {
  StoreError,
  type AuditCheckpoint, type AuditEntry, type AuditInput, type AuditLink, type ChangeStamp, type ConsumeRequest, type InstanceRecord, type KeyserverIdentity,
  type KssStore, type NewPolicyVersion, type PolicyActivation, type PolicyVersion, type QuotaFilter,
  type StoredQuota, type TokenRecord, type TokenRole,
} from '../types.js';
import { damaged, sqliteProblem } from './errors.js';
import { SqliteAudit } from './audit.js';
import { signingIdentityFor, writeIdentityKey, type IdentityRow } from './identity.js';
import { SqliteQuota } from './quota.js';
import { migrate } from './schema.js';
import { NonBlockingWrites } from './write-lock.js';

/** How long a write waits for another process's write lock before it fails (SQLITE_BUSY). */
const BUSY_TIMEOUT_MS = 5000;
import { releaseServeLock, takeServeLock } from './serve-lock.js';

interface PolicyRow { version: number; source: string; file: string; artifact_json: string; sha256: string; loaded_by: string; loaded_at: string }
interface TokenRow { id: string; hash: string; role: string; label: string; created_at: string; revoked_at: string | null }
interface StateRow { active_policy: number | null; enabled: number; quota_epoch: number; token_epoch: number }
interface InstanceRow { id: string; host: string; version: string; policy_version: number | null; started_at: string; stopped_at: string | null; last_heartbeat: string }

/** The prepared statements of everything but quota and audit. */
function statements(db: Database.Database) {
  return {
    identity: db.prepare<[], IdentityRow>('SELECT id, public_key, private_key, created_at FROM identity'),
    insertIdentity: db.prepare("INSERT INTO identity (singleton, id, public_key, private_key, created_at) VALUES (1, ?, ?, '', ?)"),
    insertPolicy: db.prepare('INSERT INTO policies (source, file, artifact_json, sha256, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?, ?)'),
    policy: db.prepare<[number | bigint], PolicyRow>('SELECT * FROM policies WHERE version = ?'),
    policies: db.prepare<[], PolicyRow>('SELECT * FROM policies ORDER BY version DESC'),
    activePolicy: db.prepare<[], PolicyRow>('SELECT p.* FROM policies p JOIN state s ON s.active_policy = p.version'),
    setActive: db.prepare('UPDATE state SET active_policy = ?, quota_epoch = quota_epoch + ?'),
    setEnabled: db.prepare('UPDATE state SET enabled = ?'),
    stamp: db.prepare<[], StateRow>('SELECT active_policy, enabled, quota_epoch, token_epoch FROM state'),
    bumpQuotaEpoch: db.prepare('UPDATE state SET quota_epoch = quota_epoch + 1'),
    insertToken: db.prepare('INSERT INTO tokens (id, hash, role, label, created_at) VALUES (?, ?, ?, ?, ?)'),
    tokens: db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY created_at, id'),
    revokeToken: db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    findToken: db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL'),
    bumpTokenEpoch: db.prepare('UPDATE state SET token_epoch = token_epoch + 1'),
    heartbeat: db.prepare(`INSERT INTO instances (id, host, version, policy_version, started_at, stopped_at, last_heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET host = excluded.host, version = excluded.version, policy_version = excluded.policy_version,
      started_at = excluded.started_at, stopped_at = excluded.stopped_at, last_heartbeat = excluded.last_heartbeat`),
    instances: db.prepare<[], InstanceRow>('SELECT * FROM instances ORDER BY started_at, id'),
    removeInstance: db.prepare<[string]>('DELETE FROM instances WHERE id = ?'),
  };
}

export class SqliteStore implements KssStore {
  readonly location: string;
  /**
   * Any number of processes: writes are BEGIN IMMEDIATE transactions (busy_timeout waits; the
   * decisions' quota uses and audit appends yield to the event loop instead, write-lock.ts), the
   * non-persistent counters of several workers are shared in quota_shared, the audit head is read
   * inside the append's transaction. `kss serve` still caps workers at the number of cores.
   */
  readonly maxWorkers = Number.POSITIVE_INFINITY;
  private readonly sql: ReturnType<typeof statements>;
  private readonly quota: SqliteQuota;
  private readonly audit: SqliteAudit;
  private lockDb: Database.Database | null = null;
  /** The writes every decision makes go through this: they yield, not sleep, while the lock is taken. */
  private readonly decisionWrites: NonBlockingWrites;

  private constructor(
    private readonly db: Database.Database,
    private readonly dataDir: string,
  ) {
    this.location = `sqlite:${join(dataDir, 'kss.db')}`;
    this.sql = statements(db);
    this.quota = new SqliteQuota(db);
    this.audit = new SqliteAudit(db);
    this.decisionWrites = new NonBlockingWrites(db, BUSY_TIMEOUT_MS);
  }

  /** Opens `<dataDir>/kss.db`; with `create`, makes the directory (0700) and file (0600). */
  static open(dataDir: string, opts: { create: boolean }): SqliteStore {
    const dir = resolve(dataDir);
    const file = join(dir, 'kss.db');
    if (!existsSync(file)) {
      if (!opts.create) {
        throw new StoreError('not-found', `no keyserver in \`${dataDir}\` (run \`kss keyserver create --data-dir ${dataDir}\` first)`);
      }
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    }
    // A zero-length file would open as an empty database and be migrated into a new, empty keyserver.
    if (!opts.create && existsSync(file) && statSync(file).size === 0) throw damaged(file, 'it is empty (zero bytes)');
    let db: Database.Database | null = null;
    try {
      db = new Database(file);
      if (opts.create) chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // A migration that moved the private key out leaves its old bytes in the WAL: truncate it.
      if (migrate(db, { dataDir: dir }) > 0) db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('secure_delete = OFF');
      return new SqliteStore(db, dir);
    } catch (e) {
      db?.close();
      throw sqliteProblem(e, file) ?? e;
    }
  }

  // ---- identity
  async getIdentity(): Promise<KeyserverIdentity | null> {
    const r = this.sql.identity.get();
    return r ? signingIdentityFor(this.dataDir, r) : null;
  }

  /** The private key goes to the key file, never to kss.db, and first: once kss.db names the keyserver, its key must exist. */
  async createIdentity(k: KeyserverIdentity): Promise<void> {
    const row = this.sql.identity.get();
    writeIdentityKey(this.dataDir, row, k);
    if (row) return; // the key file of this very keyserver was restored
    try {
      this.sql.insertIdentity.run(k.id, k.publicKey, k.createdAt);
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new StoreError('exists', `a keyserver already exists in \`${this.dataDir}\``);
      }
      throw e;
    }
  }

  // ---- policy
  async activatePolicy(p: NewPolicyVersion): Promise<PolicyActivation> {
    return this.db.transaction(() => {
      const loadedAt = new Date().toISOString();
      const version = this.sql.insertPolicy.run(p.source, p.file, p.artifactJson, p.sha256, p.loadedBy, loadedAt).lastInsertRowid;
      const { carried, reset } = splitCounters(this.quota.ruleIdsCounted(), p.ruleIds);
      for (const id of reset) this.quota.deleteRule(id);
      this.quota.retainShared([...p.ruleIds]);
      this.sql.setActive.run(version, reset.length > 0 ? 1 : 0);
      return { policy: toPolicy(this.sql.policy.get(version)!), carried, reset };
    }).immediate();
  }

  async activePolicy(): Promise<PolicyVersion | null> {
    const r = this.sql.activePolicy.get();
    return r ? toPolicy(r) : null;
  }

  async listPolicies(): Promise<PolicyVersion[]> {
    return this.sql.policies.all().map(toPolicy);
  }

  async setEnabled(enabled: boolean): Promise<void> {
    this.sql.setEnabled.run(enabled ? 1 : 0);
  }

  // ---- quota
  async tryConsume(uses: ThrottleUse[], window: QuotaWindow, shared?: string): Promise<boolean> {
    return this.decisionWrites.run(() => this.quota.tryConsume(uses, window, shared));
  }

  async tryConsumeMany(requests: ConsumeRequest[]): Promise<boolean[]> {
    return this.decisionWrites.run(() => this.quota.tryConsumeMany(requests));
  }

  async listQuota(filter: QuotaFilter = {}): Promise<StoredQuota[]> {
    return this.quota.list(filter);
  }

  async clearQuota(filter: QuotaFilter, audit: (deleted: number) => AuditInput): Promise<{ cleared: number; entry: AuditEntry }> {
    return this.db.transaction(() => {
      const cleared = this.quota.delete(filter);
      this.sql.bumpQuotaEpoch.run();
      return { cleared, entry: this.audit.append([audit(cleared)])[0]! };
    }).immediate();
  }

  async saveMemoryQuota(instanceId: string, changes: MemoryQuotaChanges): Promise<void> {
    this.quota.saveMemory(instanceId, changes);
  }

  async listMemoryQuota(filter: QuotaFilter = {}): Promise<MemoryQuotaRow[]> {
    return this.quota.listMemory(filter);
  }

  async dropMemoryQuota(instanceId: string): Promise<void> {
    this.quota.dropMemoryOf(instanceId);
  }

  // ---- tokens
  async createToken(t: Omit<TokenRecord, 'revokedAt'>): Promise<void> {
    this.db.transaction(() => {
      this.sql.insertToken.run(t.id, t.hash, t.role, t.label, t.createdAt);
      this.sql.bumpTokenEpoch.run();
    }).immediate();
  }

  async listTokens(): Promise<TokenRecord[]> {
    return this.sql.tokens.all().map(toToken);
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    return this.db.transaction(() => {
      const changed = this.sql.revokeToken.run(at, id).changes > 0;
      if (changed) this.sql.bumpTokenEpoch.run();
      return changed;
    }).immediate();
  }

  async findToken(hash: string): Promise<TokenRecord | null> {
    const r = this.sql.findToken.get(hash);
    return r ? toToken(r) : null;
  }

  // ---- audit
  async appendAudit(entries: AuditInput[]): Promise<AuditEntry[]> {
    return this.decisionWrites.run(() => this.audit.append(entries));
  }

  async readAudit(afterSeq: number, limit: number, kind?: string): Promise<AuditEntry[]> {
    return this.audit.read(afterSeq, limit, kind);
  }

  async lastAudit(): Promise<AuditEntry | null> {
    return this.audit.lastEntry();
  }

  async readAuditLinks(afterSeq: number, limit: number): Promise<AuditLink[]> {
    return this.audit.readLinks(afterSeq, limit);
  }

  async addCheckpoint(checkpoint: AuditCheckpoint): Promise<void> {
    this.audit.addCheckpoint(checkpoint);
  }

  async readCheckpoints(afterSeq: number, limit: number): Promise<AuditCheckpoint[]> {
    return this.audit.checkpoints(afterSeq, limit);
  }

  async lastCheckpoint(): Promise<AuditCheckpoint | null> {
    return this.audit.lastCheckpoint();
  }

  // ---- coordination
  async changeStamp(): Promise<ChangeStamp> {
    const r = this.sql.stamp.get()!;
    return { policyVersion: r.active_policy ?? 0, enabled: r.enabled === 1, quotaEpoch: r.quota_epoch, tokenEpoch: r.token_epoch };
  }

  async heartbeat(i: Omit<InstanceRecord, 'lastHeartbeat'>, at: string): Promise<void> {
    this.sql.heartbeat.run(i.id, i.host, i.version, i.policyVersion, i.startedAt, i.stoppedAt, at);
  }

  async listInstances(): Promise<InstanceRecord[]> {
    return this.sql.instances.all().map((r) => ({
      id: r.id, host: r.host, version: r.version, policyVersion: r.policy_version ?? null, startedAt: r.started_at,
      stoppedAt: r.stopped_at ?? null, lastHeartbeat: r.last_heartbeat,
    }));
  }

  async removeInstance(id: string): Promise<boolean> {
    return this.sql.removeInstance.run(id).changes > 0;
  }

  /** The data directory's serve lock (serve-lock.ts). */
  async acquireServeLock(): Promise<() => void> {
    if (this.lockDb) throw new StoreError('locked', 'this store already holds the serve lock');
    const lock = (this.lockDb = takeServeLock(this.dataDir));
    return () => {
      if (this.lockDb !== lock) return;
      this.lockDb = null;
      releaseServeLock(lock);
    };
  }

  async close(): Promise<void> {
    if (this.lockDb) {
      this.lockDb.close();
      this.lockDb = null;
    }
    if (this.db.open) this.db.close();
  }
}

function toPolicy(r: PolicyRow): PolicyVersion {
  return {
    version: r.version, source: r.source, file: r.file, artifactJson: r.artifact_json, sha256: r.sha256,
    loadedBy: r.loaded_by, loadedAt: r.loaded_at,
  };
}

function toToken(r: TokenRow): TokenRecord {
  return { id: r.id, hash: r.hash, role: r.role as TokenRole, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at ?? null };
}
