/**
 * KssStore on a shared MySQL/MariaDB database (cluster mode). Every instance of a cluster opens
 * one of these on the same database; all coordination goes through it (see DESIGN.md).
 */
import { splitCounters } from '../../quota/rule.js';
import type { MemoryQuotaChanges, MemoryQuotaRow, QuotaWindow, ThrottleUse } from '../../quota/types.js';
import {
  StoreError,
  type AuditCheckpoint,
  type AuditLink,
  type AuditEntry,
  type AuditInput,
  type ChangeStamp,
  type InstanceRecord,
  type KeyserverIdentity,
  type KssStore,
  type NewPolicyVersion,
  type PolicyActivation,
  type PolicyVersion,
  type QuotaFilter,
  type StoredQuota,
  type TokenRecord,
  type TokenRole,
} from '../types.js';
import { withLocalKey } from '../../identity/local-key.js';
import * as audit from './audit.js';
import { Db } from './connection.js';
import { importSnapshot, type KeyserverSnapshot } from './import.js';
import * as quota from './quota.js';
import { migrate } from './schema.js';
import { parseMysqlUri } from './uri.js';

export interface MysqlOpenOptions {
  /** Create the tables in an empty database (keyserver create, clone-db). */
  create?: boolean;
  /** Pool size per process. */
  connections?: number;
  /** The keyserver id the database must hold (a data directory's cluster.json names it). */
  expectId?: string;
  /**
   * This instance's data directory: `getIdentity` adds the private key from its signing key file
   * when that matches the database's public key (the database holds the public key only).
   */
  keyDir?: string;
}

interface PolicyRow {
  version: number;
  source: string;
  file: string;
  artifact: string;
  sha256: string;
  loaded_by: string;
  loaded_at: string;
}

interface TokenRow {
  id: string;
  hash: string;
  role: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

export class MysqlStore implements KssStore {
  /**
   * One process per instance: its `persistent: false` counters are process memory (MySQL has no
   * shared table for them), so a second worker would count them apart. Scale a cluster by
   * instances (each its own data directory), which share the persistent counters.
   */
  readonly maxWorkers = 1;

  private constructor(
    readonly db: Db,
    private readonly keyDir?: string,
  ) {}

  static async open(uri: string, options: MysqlOpenOptions = {}): Promise<MysqlStore> {
    const db = new Db(parseMysqlUri(uri), options.connections);
    try {
      await migrate(db, options.create ?? false, { keyDir: options.keyDir });
      const store = new MysqlStore(db, options.keyDir);
      if (options.expectId !== undefined) {
        const identity = await store.getIdentity();
        if (identity?.id !== options.expectId) {
          const holds = identity ? `keyserver \`${identity.id}\`` : 'no keyserver';
          throw new StoreError('corrupt', `the database ${db.location} holds ${holds}, but this data directory joined keyserver \`${options.expectId}\`; run \`kss keyserver initialize --db-uri URI --backup-key PATH\` again`);
        }
      }
      return store;
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  get location(): string {
    return this.db.location;
  }

  /** True while the database is known not to answer (its last contact failed). */
  get degraded(): boolean {
    return this.db.degraded;
  }

  // ---- identity
  /** Id and public key from the database; the private key only from this instance's key file. */
  async getIdentity(): Promise<KeyserverIdentity | null> {
    const rows = await this.db.query<{ id: string; public_key: string; created_at: string }>(
      'SELECT id, public_key, created_at FROM kss_identity WHERE singleton = 1',
    );
    const r = rows[0];
    if (!r) return null;
    const held: KeyserverIdentity = { id: r.id, publicKey: r.public_key, createdAt: r.created_at };
    return this.keyDir === undefined ? held : withLocalKey(this.keyDir, held);
  }

  /**
   * Stores the id and PUBLIC key only. The private key is the caller's to keep: `keyserver create
   * --db-uri` writes it to the creating instance's data directory (runtime/cluster/create.ts).
   */
  async createIdentity(identity: KeyserverIdentity): Promise<void> {
    try {
      await this.db.execute('INSERT INTO kss_identity (singleton, id, public_key, created_at) VALUES (1, ?, ?, ?)', [
        identity.id, identity.publicKey, identity.createdAt,
      ]);
    } catch (error) {
      if ((error as { errno?: number }).errno === 1062) {
        throw new StoreError('exists', `the database ${this.location} already holds a keyserver`);
      }
      throw error;
    }
  }

  // ---- policy
  async activatePolicy(policy: NewPolicyVersion): Promise<PolicyActivation> {
    return this.db.tx(async (tx) => {
      // Locking the state row serialises activations across the cluster.
      await tx.query('SELECT active_version FROM kss_state WHERE singleton = 1 FOR UPDATE');
      const [max] = await tx.query<{ v: number | null }>('SELECT MAX(version) AS v FROM kss_policy');
      const version = Number(max?.v ?? 0) + 1;
      const loadedAt = new Date().toISOString();
      await tx.execute(
        'INSERT INTO kss_policy (version, source, file, artifact, sha256, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [version, policy.source, policy.file, policy.artifactJson, policy.sha256, policy.loadedBy, loadedAt],
      );
      const counted = (await tx.query<{ rule_id: string }>('SELECT DISTINCT rule_id FROM kss_quota')).map((r) => r.rule_id);
      const { carried, reset } = splitCounters(counted, policy.ruleIds);
      for (const id of reset) await tx.execute('DELETE FROM kss_quota WHERE rule_id = ?', [id]);
      await tx.execute(
        `UPDATE kss_state SET active_version = ?, quota_epoch = quota_epoch + ? WHERE singleton = 1`,
        [version, reset.length > 0 ? 1 : 0],
      );
      const { ruleIds: _omit, ...rest } = policy;
      return { policy: { ...rest, version, loadedAt }, carried, reset };
    });
  }

  async activePolicy(): Promise<PolicyVersion | null> {
    const rows = await this.db.query<PolicyRow>(
      `SELECT p.version, p.source, p.file, p.artifact, p.sha256, p.loaded_by, p.loaded_at
       FROM kss_policy p JOIN kss_state s ON s.singleton = 1 AND p.version = s.active_version`,
    );
    return rows[0] ? toPolicy(rows[0]) : null;
  }

  async listPolicies(): Promise<PolicyVersion[]> {
    const rows = await this.db.query<PolicyRow>('SELECT version, source, file, artifact, sha256, loaded_by, loaded_at FROM kss_policy ORDER BY version DESC');
    return rows.map(toPolicy);
  }

  async setEnabled(enabled: boolean): Promise<void> {
    await this.db.execute('UPDATE kss_state SET enabled = ? WHERE singleton = 1', [enabled ? 1 : 0]);
  }

  // ---- quota
  tryConsume(uses: ThrottleUse[], window: QuotaWindow): Promise<boolean> {
    return quota.tryConsume(this.db, uses, window);
  }

  listQuota(filter?: QuotaFilter): Promise<StoredQuota[]> {
    return quota.listQuota(this.db, filter);
  }

  clearQuota(filter: QuotaFilter, audit: (deleted: number) => AuditInput): Promise<{ cleared: number; entry: AuditEntry }> {
    return quota.clearQuota(this.db, filter, audit);
  }

  saveMemoryQuota(instanceId: string, changes: MemoryQuotaChanges): Promise<void> {
    return quota.saveMemoryQuota(this.db, instanceId, changes);
  }

  listMemoryQuota(filter?: QuotaFilter): Promise<MemoryQuotaRow[]> {
    return quota.listMemoryQuota(this.db, filter);
  }

  dropMemoryQuota(instanceId: string): Promise<void> {
    return quota.dropMemoryQuota(this.db, instanceId);
  }

  // ---- tokens
  async createToken(token: Omit<TokenRecord, 'revokedAt'>): Promise<void> {
    await this.db.tx(async (tx) => {
      await tx.execute('INSERT INTO kss_token (id, hash, role, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, NULL)', [
        token.id, token.hash, token.role, token.label, token.createdAt,
      ]);
      await tx.execute('UPDATE kss_state SET token_epoch = token_epoch + 1 WHERE singleton = 1');
    });
  }

  async listTokens(): Promise<TokenRecord[]> {
    const rows = await this.db.query<TokenRow>('SELECT id, hash, role, label, created_at, revoked_at FROM kss_token ORDER BY created_at, id');
    return rows.map(toToken);
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    return this.db.tx(async (tx) => {
      const res = await tx.execute('UPDATE kss_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id]);
      if (res.affectedRows === 0) return false;
      await tx.execute('UPDATE kss_state SET token_epoch = token_epoch + 1 WHERE singleton = 1');
      return true;
    });
  }

  async findToken(hash: string): Promise<TokenRecord | null> {
    const rows = await this.db.query<TokenRow>('SELECT id, hash, role, label, created_at, revoked_at FROM kss_token WHERE hash = ? AND revoked_at IS NULL', [hash]);
    return rows[0] ? toToken(rows[0]) : null;
  }

  // ---- audit (a server batches its appends itself: runtime/audit/batch.ts)
  appendAudit(entries: AuditInput[]): Promise<AuditEntry[]> {
    return audit.appendAudit(this.db, entries);
  }

  readAudit(afterSeq: number, limit: number, kind?: string): Promise<AuditEntry[]> {
    return audit.readAudit(this.db, afterSeq, limit, kind);
  }

  lastAudit(): Promise<AuditEntry | null> {
    return audit.lastAudit(this.db);
  }

  readAuditLinks(after: number, limit: number): Promise<AuditLink[]> { return audit.readLinks(this.db, after, limit); }
  addCheckpoint(c: AuditCheckpoint): Promise<void> { return audit.addCheckpoint(this.db, c); }
  readCheckpoints(after: number, limit: number): Promise<AuditCheckpoint[]> { return audit.readCheckpoints(this.db, after, limit); }
  lastCheckpoint(): Promise<AuditCheckpoint | null> { return audit.lastCheckpoint(this.db); }

  // ---- coordination
  async changeStamp(): Promise<ChangeStamp> {
    const rows = await this.db.query<{ enabled: number; active_version: number; quota_epoch: number; token_epoch: number }>(
      'SELECT enabled, active_version, quota_epoch, token_epoch FROM kss_state WHERE singleton = 1',
    );
    const r = rows[0];
    if (!r) throw new StoreError('corrupt', `the database ${this.location} has lost its state row`);
    return { policyVersion: Number(r.active_version), enabled: Number(r.enabled) === 1, quotaEpoch: Number(r.quota_epoch), tokenEpoch: Number(r.token_epoch) };
  }

  async heartbeat(instance: Omit<InstanceRecord, 'lastHeartbeat'>, at: string): Promise<void> {
    await this.db.execute(
      `INSERT INTO kss_instance (id, host, version, policy_version, started_at, stopped_at, last_heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE host = VALUES(host), version = VALUES(version), policy_version = VALUES(policy_version),
       started_at = VALUES(started_at), stopped_at = VALUES(stopped_at), last_heartbeat = VALUES(last_heartbeat)`,
      [instance.id, instance.host, instance.version, instance.policyVersion, instance.startedAt, instance.stoppedAt, at],
    );
  }

  async listInstances(): Promise<InstanceRecord[]> {
    const rows = await this.db.query<{ id: string; host: string; version: string; policy_version: number | null; started_at: string; stopped_at: string | null; last_heartbeat: string }>(
      'SELECT id, host, version, policy_version, started_at, stopped_at, last_heartbeat FROM kss_instance ORDER BY started_at, id',
    );
    return rows.map((r) => ({
      id: r.id, host: r.host, version: r.version, policyVersion: r.policy_version === null ? null : Number(r.policy_version),
      startedAt: r.started_at, stoppedAt: r.stopped_at, lastHeartbeat: r.last_heartbeat,
    }));
  }

  async removeInstance(id: string): Promise<boolean> {
    return (await this.db.execute('DELETE FROM kss_instance WHERE id = ?', [id])).affectedRows > 0;
  }

  /** Several instances on one database are the point of cluster mode: nothing to lock. */
  async acquireServeLock(): Promise<() => void> {
    return () => undefined;
  }

  /** clone-db: the whole keyserver into this (empty) database, in one transaction. */
  importSnapshot(snapshot: KeyserverSnapshot): Promise<void> {
    return importSnapshot(this.db, snapshot);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

function toPolicy(r: PolicyRow): PolicyVersion {
  return { version: Number(r.version), source: r.source, file: r.file, artifactJson: r.artifact, sha256: r.sha256, loadedBy: r.loaded_by, loadedAt: r.loaded_at };
}

function toToken(r: TokenRow): TokenRecord {
  return { id: r.id, hash: r.hash, role: r.role as TokenRole, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at };
}
