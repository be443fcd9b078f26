/**
 * The embedded store: one SQLite file (`<dataDir>/kss.db`) through better-sqlite3.
 *
 * Durability vs speed: WAL with synchronous=NORMAL. A committed transaction is in the WAL file
 * (in the OS page cache) before `tryConsume` returns, so a process crash, including kill -9,
 * loses nothing; only a power loss or kernel crash can lose the last transactions. That is the
 * failure the issue tests (kill -9 under load). FULL would fsync on every commit and cap
 * throughput at the disk's fsync rate.
 *
 * better-sqlite3 is synchronous, so every method does its work in one tick: a transaction can
 * never interleave with another request of this process. Other processes (the CLI) are
 * serialised by SQLite's write lock (busy_timeout covers the wait).
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { QuotaWindow, ThrottleUse } from '../../evaluator/types.js';
import { chainEntries, GENESIS_HASH } from '../../audit/chain.js';
import { migrate } from './schema.js';
import {
  StoreError,
  type AuditEntry, type AuditInput, type ChangeStamp, type InstanceRecord, type KeyserverIdentity,
  type KssStore, type NewPolicyVersion, type PolicyActivation, type PolicyVersion, type QuotaFilter,
  type StoredQuota, type TokenRecord,
} from '../types.js';

type Row = Record<string, any>;

export class SqliteStore implements KssStore {
  readonly location: string;
  private readonly st: Record<string, Database.Statement>;
  private readonly consumeTx: Database.Transaction<(uses: ThrottleUse[], window: QuotaWindow) => boolean>;
  private readonly auditTx: Database.Transaction<(inputs: AuditInput[]) => AuditEntry[]>;
  private lockDb: Database.Database | null = null;

  private constructor(
    private readonly db: Database.Database,
    private readonly dataDir: string,
  ) {
    this.location = `sqlite:${join(dataDir, 'kss.db')}`;
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      identity: p('SELECT id, public_key, private_key, created_at FROM identity'),
      insertIdentity: p('INSERT INTO identity (singleton, id, public_key, private_key, created_at) VALUES (1, ?, ?, ?, ?)'),
      insertPolicy: p('INSERT INTO policies (source, file, artifact_json, sha256, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?, ?)'),
      policy: p('SELECT * FROM policies WHERE version = ?'),
      policies: p('SELECT * FROM policies ORDER BY version DESC'),
      activePolicy: p('SELECT p.* FROM policies p JOIN state s ON s.active_policy = p.version'),
      quotaRuleIds: p('SELECT DISTINCT rule_id FROM quota'),
      deleteQuotaRule: p('DELETE FROM quota WHERE rule_id = ?'),
      setActive: p('UPDATE state SET active_policy = ?, quota_epoch = quota_epoch + ?'),
      setEnabled: p('UPDATE state SET enabled = ?'),
      stamp: p('SELECT active_policy, enabled, quota_epoch, token_epoch FROM state'),
      quotaRow: p('SELECT hour, hour_count, day, day_count FROM quota WHERE rule_id = ? AND profile_id = ?'),
      upsertQuota: p(`INSERT INTO quota (rule_id, profile_id, hour, hour_count, day, day_count) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (rule_id, profile_id) DO UPDATE SET hour = excluded.hour, hour_count = excluded.hour_count,
        day = excluded.day, day_count = excluded.day_count`),
      // Right-hand sides of DO UPDATE SET and WHERE see the old row, so the order of SETs is free.
      consumeOne: p(`INSERT INTO quota (rule_id, profile_id, hour, hour_count, day, day_count) VALUES (@rule, @profile, @hour, 1, @day, 1)
        ON CONFLICT (rule_id, profile_id) DO UPDATE SET
          hour_count = CASE WHEN hour = excluded.hour THEN hour_count + 1 ELSE 1 END, hour = excluded.hour,
          day_count = CASE WHEN day = excluded.day THEN day_count + 1 ELSE 1 END, day = excluded.day
        WHERE (@perHour IS NULL OR (CASE WHEN hour = excluded.hour THEN hour_count ELSE 0 END) < @perHour)
          AND (@perDay IS NULL OR (CASE WHEN day = excluded.day THEN day_count ELSE 0 END) < @perDay)`),
      bumpQuotaEpoch: p('UPDATE state SET quota_epoch = quota_epoch + 1'),
      insertToken: p('INSERT INTO tokens (id, hash, role, label, created_at) VALUES (?, ?, ?, ?, ?)'),
      tokens: p('SELECT * FROM tokens ORDER BY created_at, id'),
      revokeToken: p('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      findToken: p('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL'),
      bumpTokenEpoch: p('UPDATE state SET token_epoch = token_epoch + 1'),
      lastAudit: p('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1'),
      insertAudit: p('INSERT INTO audit (seq, at, kind, actor, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      readAudit: p('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?'),
      readAuditKind: p('SELECT * FROM audit WHERE seq > ? AND kind = ? ORDER BY seq LIMIT ?'),
      heartbeat: p(`INSERT INTO instances (id, host, version, policy_version, started_at, stopped_at, last_heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET host = excluded.host, version = excluded.version, policy_version = excluded.policy_version,
        started_at = excluded.started_at, stopped_at = excluded.stopped_at, last_heartbeat = excluded.last_heartbeat`),
      instances: p('SELECT * FROM instances ORDER BY started_at, id'),
      removeInstance: p('DELETE FROM instances WHERE id = ?'),
    };
    this.consumeTx = db.transaction((uses: ThrottleUse[], window: QuotaWindow) => {
      const next: Array<[ThrottleUse, number, number]> = [];
      for (const use of uses) {
        const row = this.st.quotaRow!.get(use.ruleId, use.profileId) as Row | undefined;
        const hourCount = row && row.hour === window.hour ? (row.hour_count as number) : 0;
        const dayCount = row && row.day === window.day ? (row.day_count as number) : 0;
        if (use.perHour !== null && hourCount >= use.perHour) return false;
        if (use.perDay !== null && dayCount >= use.perDay) return false;
        next.push([use, hourCount + 1, dayCount + 1]);
      }
      for (const [use, h, d] of next) this.st.upsertQuota!.run(use.ruleId, use.profileId, window.hour, h, window.day, d);
      return true;
    });
    this.auditTx = db.transaction((inputs: AuditInput[]) => {
      const last = this.st.lastAudit!.get() as Row | undefined;
      const entries = chainEntries(last ? last.hash : GENESIS_HASH, last ? last.seq : 0, inputs);
      for (const e of entries) {
        this.st.insertAudit!.run(e.seq, e.at, e.kind, e.actor, JSON.stringify(e.data), e.prevHash, e.hash);
      }
      return entries;
    });
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
    const db = new Database(file);
    if (opts.create) chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return new SqliteStore(db, dir);
  }

  async getIdentity(): Promise<KeyserverIdentity | null> {
    const r = this.st.identity!.get() as Row | undefined;
    return r ? { id: r.id, publicKey: r.public_key, privateKey: r.private_key, createdAt: r.created_at } : null;
  }

  async createIdentity(k: KeyserverIdentity): Promise<void> {
    try {
      this.st.insertIdentity!.run(k.id, k.publicKey, k.privateKey, k.createdAt);
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
        throw new StoreError('exists', `a keyserver already exists in \`${this.dataDir}\``);
      }
      throw e;
    }
  }

  async activatePolicy(p: NewPolicyVersion): Promise<PolicyActivation> {
    return this.db.transaction(() => {
      const loadedAt = new Date().toISOString();
      const info = this.st.insertPolicy!.run(p.source, p.file, p.artifactJson, p.sha256, p.loadedBy, loadedAt);
      const keep = new Set(p.ruleIds);
      const carried: string[] = [];
      const reset: string[] = [];
      for (const r of this.st.quotaRuleIds!.all() as Row[]) (keep.has(r.rule_id) ? carried : reset).push(r.rule_id);
      for (const id of reset) this.st.deleteQuotaRule!.run(id);
      this.st.setActive!.run(info.lastInsertRowid, reset.length > 0 ? 1 : 0);
      const policy = toPolicy(this.st.policy!.get(info.lastInsertRowid) as Row);
      return { policy, carried: carried.sort(), reset: reset.sort() };
    }).immediate();
  }

  async activePolicy(): Promise<PolicyVersion | null> {
    const r = this.st.activePolicy!.get() as Row | undefined;
    return r ? toPolicy(r) : null;
  }

  async listPolicies(): Promise<PolicyVersion[]> {
    return (this.st.policies!.all() as Row[]).map(toPolicy);
  }

  async setEnabled(enabled: boolean): Promise<void> {
    this.st.setEnabled!.run(enabled ? 1 : 0);
  }

  /** Synchronous core of tryConsume, for the server's single-tick quota path. */
  tryConsumeSync(uses: ThrottleUse[], window: QuotaWindow): boolean {
    if (uses.length === 0) return true;
    if (uses.length === 1) {
      // The common case, one throttle in the rule set: a single conditional upsert is atomic on
      // its own (autocommit) and saves the SELECT and the explicit BEGIN/COMMIT round.
      const u = uses[0]!;
      return this.st.consumeOne!.run({ rule: u.ruleId, profile: u.profileId, hour: window.hour, day: window.day, perHour: u.perHour, perDay: u.perDay }).changes === 1;
    }
    return this.consumeTx.immediate(uses, window);
  }

  async tryConsume(uses: ThrottleUse[], window: QuotaWindow): Promise<boolean> {
    return this.tryConsumeSync(uses, window);
  }

  async listQuota(filter: QuotaFilter = {}): Promise<StoredQuota[]> {
    const { where, args } = quotaWhere(filter);
    const rows = this.db.prepare(`SELECT * FROM quota ${where} ORDER BY rule_id, profile_id`).all(...args) as Row[];
    return rows.map((r) => ({
      ruleId: r.rule_id, profileId: r.profile_id, hour: r.hour, hourCount: r.hour_count, day: r.day, dayCount: r.day_count,
    }));
  }

  async clearQuota(filter: QuotaFilter = {}): Promise<number> {
    const { where, args } = quotaWhere(filter);
    return this.db.transaction(() => {
      const n = this.db.prepare(`DELETE FROM quota ${where}`).run(...args).changes;
      this.st.bumpQuotaEpoch!.run();
      return n;
    }).immediate();
  }

  async createToken(t: Omit<TokenRecord, 'revokedAt'>): Promise<void> {
    this.db.transaction(() => {
      this.st.insertToken!.run(t.id, t.hash, t.role, t.label, t.createdAt);
      this.st.bumpTokenEpoch!.run();
    }).immediate();
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (this.st.tokens!.all() as Row[]).map(toToken);
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    return this.db.transaction(() => {
      const changed = this.st.revokeToken!.run(at, id).changes > 0;
      if (changed) this.st.bumpTokenEpoch!.run();
      return changed;
    }).immediate();
  }

  async findToken(hash: string): Promise<TokenRecord | null> {
    const r = this.st.findToken!.get(hash) as Row | undefined;
    return r ? toToken(r) : null;
  }

  appendAuditSync(entries: AuditInput[]): AuditEntry[] {
    if (entries.length === 0) return [];
    return this.auditTx.immediate(entries);
  }

  async appendAudit(entries: AuditInput[]): Promise<AuditEntry[]> {
    return this.appendAuditSync(entries);
  }

  async readAudit(afterSeq: number, limit: number, kind?: string): Promise<AuditEntry[]> {
    const rows = kind === undefined ? this.st.readAudit!.all(afterSeq, limit) : this.st.readAuditKind!.all(afterSeq, kind, limit);
    return (rows as Row[]).map((r) => ({
      seq: r.seq, at: r.at, kind: r.kind, actor: r.actor, data: JSON.parse(r.data), prevHash: r.prev_hash, hash: r.hash,
    }));
  }

  async lastAudit(): Promise<AuditEntry | null> {
    const r = this.st.lastAudit!.get() as Row | undefined;
    return r ? (await this.readAudit(r.seq - 1, 1))[0] ?? null : null;
  }

  changeStampSync(): ChangeStamp {
    const r = this.st.stamp!.get() as Row;
    return { policyVersion: r.active_policy ?? 0, enabled: r.enabled === 1, quotaEpoch: r.quota_epoch, tokenEpoch: r.token_epoch };
  }

  async changeStamp(): Promise<ChangeStamp> {
    return this.changeStampSync();
  }

  async heartbeat(i: Omit<InstanceRecord, 'lastHeartbeat'>, at: string): Promise<void> {
    this.st.heartbeat!.run(i.id, i.host, i.version, i.policyVersion, i.startedAt, i.stoppedAt, at);
  }

  async listInstances(): Promise<InstanceRecord[]> {
    return (this.st.instances!.all() as Row[]).map((r) => ({
      id: r.id, host: r.host, version: r.version, policyVersion: r.policy_version ?? null, startedAt: r.started_at,
      stoppedAt: r.stopped_at ?? null, lastHeartbeat: r.last_heartbeat,
    }));
  }

  async removeInstance(id: string): Promise<boolean> {
    return this.st.removeInstance!.run(id).changes > 0;
  }

  /**
   * An EXCLUSIVE transaction held open on a separate file: the OS releases its lock when the
   * process dies (even kill -9), so there is never a stale lock to clean up by hand.
   */
  async acquireServeLock(): Promise<() => void> {
    if (this.lockDb) throw new StoreError('locked', 'this store already holds the serve lock');
    const lock = new Database(join(this.dataDir, 'serve.lock'));
    try {
      lock.pragma('busy_timeout = 0');
      lock.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;');
    } catch {
      lock.close();
      throw new StoreError('locked', `another kss server is already running on \`${this.dataDir}\` (one active instance per keyserver)`);
    }
    this.lockDb = lock;
    return () => {
      if (this.lockDb !== lock) return;
      this.lockDb = null;
      try { lock.exec('ROLLBACK'); } catch { /* closing releases it anyway */ }
      lock.close();
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

function quotaWhere(f: QuotaFilter): { where: string; args: string[] } {
  const parts: string[] = [];
  const args: string[] = [];
  if (f.ruleId !== undefined) { parts.push('rule_id = ?'); args.push(f.ruleId); }
  if (f.profileId !== undefined) { parts.push('profile_id = ?'); args.push(f.profileId); }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}

function toPolicy(r: Row): PolicyVersion {
  return {
    version: r.version, source: r.source, file: r.file, artifactJson: r.artifact_json, sha256: r.sha256,
    loadedBy: r.loaded_by, loadedAt: r.loaded_at,
  };
}

function toToken(r: Row): TokenRecord {
  return { id: r.id, hash: r.hash, role: r.role, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at ?? null };
}
