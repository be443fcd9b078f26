/**
 * Persistent throttle counts, and the mirror of running servers' in-memory counts, in SQLite.
 *
 * A use is one conditional upsert: it inserts a new counter only when the limits allow a first use
 * (a limit of 0 never does), and updates an existing one only while it is below its limits in the
 * window (rule.ts in SQL: a counter last used in another hour or day counts as zero there; one
 * stored before SPEC 4.6 under the local hour alone still counts in that hour). A rule set with
 * several throttles runs one upsert each in one transaction and rolls back when one is refused.
 *
 * A server with several worker processes keeps its non-persistent counters here too, in
 * `quota_shared` (same rule, same upsert): a use then checks and counts both kinds in one
 * transaction, which SQLite's write lock orders across the processes.
 */
import type Database from 'better-sqlite3';
import type { MemoryQuotaChanges, MemoryQuotaRow, QuotaCount, QuotaFilter, QuotaWindow, ThrottleUse } from '../../quota/types.js';
import type { ConsumeRequest } from '../types.js';
import { quotaFilterSql, toMemoryQuotaRow, toQuotaCount, type QuotaRow } from '../rows.js';

const IN_HOUR = 'hour IN (excluded.hour, @legacyHour)';

/** What a use binds, in the order of `consumeArgs`. */
const CONSUME_PARAMS = ['rule', 'profile', 'hour', 'legacyHour', 'day', 'perHour', 'perDay', 'instance'] as const;

/**
 * The upsert written with named parameters, prepared with positional ones: better-sqlite3 binds an
 * object's named parameters several times slower than an argument list (issue 15: a few µs per
 * use on this host, once per throttled decision). `slots` says which of CONSUME_PARAMS each `?` is.
 */
interface ConsumeStatement {
  statement: Database.Statement;
  slots: number[];
}

function prepareConsume(db: Database.Database, table: 'quota' | 'quota_shared'): ConsumeStatement {
  const slots: number[] = [];
  const sql = consumeSql(table).replace(/@(\w+)/g, (_m, name: string) => {
    const slot = CONSUME_PARAMS.indexOf(name as (typeof CONSUME_PARAMS)[number]);
    if (slot < 0) throw new Error(`unknown parameter @${name}`);
    slots.push(slot);
    return '?';
  });
  return { statement: db.prepare(sql), slots };
}

/** The conditional upsert of one use into `table` (rule.ts in SQL; see the file comment). */
function consumeSql(table: 'quota' | 'quota_shared'): string {
  const [cols, vals] = table === 'quota' ? ['', ''] : [', instance_id', ', @instance'];
  // Right-hand sides of DO UPDATE SET and WHERE see the old row, so the order of SETs is free.
  return `INSERT INTO ${table} (rule_id, profile_id, hour, hour_count, day, day_count${cols})
        SELECT @rule, @profile, @hour, 1, @day, 1${vals} WHERE (@perHour IS NULL OR @perHour > 0) AND (@perDay IS NULL OR @perDay > 0)
        ON CONFLICT (rule_id, profile_id) DO UPDATE SET
          hour_count = CASE WHEN ${IN_HOUR} THEN hour_count + 1 ELSE 1 END, hour = excluded.hour,
          day_count = CASE WHEN day = excluded.day THEN day_count + 1 ELSE 1 END, day = excluded.day
        WHERE (@perHour IS NULL OR (CASE WHEN ${IN_HOUR} THEN hour_count ELSE 0 END) < @perHour)
          AND (@perDay IS NULL OR (CASE WHEN day = excluded.day THEN day_count ELSE 0 END) < @perDay)`;
}

/** Thrown inside a transaction to roll it back when a use is refused. */
class Refused extends Error {}

export class SqliteQuota {
  private readonly consumeOne: ConsumeStatement;
  private readonly consumeShared: ConsumeStatement;
  private readonly consumeAll: Database.Transaction<(uses: ThrottleUse[], window: QuotaWindow, shared: string | undefined) => void>;
  private readonly consumeMany: Database.Transaction<(requests: ConsumeRequest[]) => boolean[]>;
  private readonly countedRuleIds: Database.Statement<[], { rule_id: string }>;
  private readonly deleteRuleId: Database.Statement<[string]>;
  private readonly deleteSharedNotIn: Database.Statement<[string]>;
  private readonly upsertMemory: Database.Statement;
  private readonly deleteMemory: Database.Statement<[string, string, string]>;
  private readonly dropMemory: Database.Statement<[string]>;
  private readonly dropShared: Database.Statement<[string]>;
  private readonly saveMemoryTx: Database.Transaction<(instanceId: string, changes: MemoryQuotaChanges) => void>;

  constructor(private readonly db: Database.Database) {
    this.consumeOne = prepareConsume(db, 'quota');
    this.consumeShared = prepareConsume(db, 'quota_shared');
    this.consumeAll = db.transaction((uses: ThrottleUse[], window: QuotaWindow, shared: string | undefined) => {
      for (const u of uses) if (!this.consume(u, window, shared)) throw new Refused();
    });
    this.consumeMany = db.transaction((requests: ConsumeRequest[]) => requests.map((r) => this.consumeInTransaction(r)));
    this.countedRuleIds = db.prepare('SELECT DISTINCT rule_id FROM quota');
    this.deleteRuleId = db.prepare('DELETE FROM quota WHERE rule_id = ?');
    this.deleteSharedNotIn = db.prepare('DELETE FROM quota_shared WHERE rule_id NOT IN (SELECT value FROM json_each(?))');
    this.upsertMemory = db.prepare(`INSERT INTO quota_memory (instance_id, rule_id, profile_id, hour, hour_count, day, day_count)
        VALUES (@instanceId, @ruleId, @profileId, @hour, @hourCount, @day, @dayCount)
        ON CONFLICT (instance_id, rule_id, profile_id) DO UPDATE SET hour = excluded.hour, hour_count = excluded.hour_count,
          day = excluded.day, day_count = excluded.day_count`);
    this.deleteMemory = db.prepare('DELETE FROM quota_memory WHERE instance_id = ? AND rule_id = ? AND profile_id = ?');
    this.dropMemory = db.prepare('DELETE FROM quota_memory WHERE instance_id = ?');
    this.dropShared = db.prepare('DELETE FROM quota_shared WHERE instance_id = ?');
    this.saveMemoryTx = db.transaction((instanceId: string, changes: MemoryQuotaChanges) => {
      if (changes.replace) this.dropMemory.run(instanceId);
      for (const k of changes.removals) this.deleteMemory.run(instanceId, k.ruleId, k.profileId);
      for (const c of changes.upserts) this.upsertMemory.run({ instanceId, ...c });
    });
  }

  /**
   * All uses or none; one upsert alone is atomic (autocommit) and needs no BEGIN/COMMIT. With
   * `shared` (the instance id of a server with several workers), non-persistent uses count in
   * quota_shared; without it every use counts in quota.
   */
  tryConsume(uses: ThrottleUse[], window: QuotaWindow, shared?: string): boolean {
    if (uses.length === 0) return true;
    if (uses.length === 1) return this.consume(uses[0]!, window, shared);
    try {
      this.consumeAll.immediate(uses, window, shared);
      return true;
    } catch (error) {
      if (error instanceof Refused) return false;
      throw error;
    }
  }

  /** Each request all or nothing (a savepoint when it has several uses), all in one transaction. */
  tryConsumeMany(requests: ConsumeRequest[]): boolean[] {
    return this.consumeMany.immediate(requests);
  }

  private consumeInTransaction(r: ConsumeRequest): boolean {
    if (r.uses.length <= 1) return r.uses.length === 0 || this.consume(r.uses[0]!, r.window, r.shared);
    try {
      this.consumeAll(r.uses, r.window, r.shared); // nested: a savepoint, rolled back on Refused
      return true;
    } catch (error) {
      if (error instanceof Refused) return false;
      throw error;
    }
  }

  private consume(u: ThrottleUse, w: QuotaWindow, shared: string | undefined): boolean {
    const { statement, slots } = shared === undefined || u.persistent ? this.consumeOne : this.consumeShared;
    // In CONSUME_PARAMS order.
    const values = [u.ruleId, u.profileId, w.hour, w.legacyHour, w.day, u.perHour, u.perDay, shared];
    const args = new Array<unknown>(slots.length);
    for (let i = 0; i < slots.length; i++) args[i] = values[slots[i]!];
    return statement.run(args).changes === 1;
  }

  list(filter: QuotaFilter): QuotaCount[] {
    const { where, params } = quotaFilterSql(filter);
    return (this.db.prepare(`SELECT * FROM quota ${where} ORDER BY rule_id, profile_id`).all(...params) as QuotaRow[]).map(toQuotaCount);
  }

  /**
   * Deletes the matching counters, persistent and shared (a multi-worker server's memory, which
   * this clear thus reaches exactly, in its transaction); the caller's transaction bumps the
   * epoch and audits.
   */
  delete(filter: QuotaFilter): number {
    const { where, params } = quotaFilterSql(filter);
    return this.db.prepare(`DELETE FROM quota ${where}`).run(...params).changes + this.db.prepare(`DELETE FROM quota_shared ${where}`).run(...params).changes;
  }

  ruleIdsCounted(): string[] {
    return this.countedRuleIds.all().map((r) => r.rule_id);
  }

  deleteRule(ruleId: string): void {
    this.deleteRuleId.run(ruleId);
  }

  /** A new policy: the shared counters of rule ids it no longer has go, as memory.ts retain does. */
  retainShared(ruleIds: string[]): void {
    this.deleteSharedNotIn.run(JSON.stringify(ruleIds));
  }

  saveMemory(instanceId: string, changes: MemoryQuotaChanges): void {
    this.saveMemoryTx.immediate(instanceId, changes);
  }

  /** The mirrored counters and the shared ones (both are some server's memory). */
  listMemory(filter: QuotaFilter): MemoryQuotaRow[] {
    const { where, params } = quotaFilterSql(filter);
    const cols = 'instance_id, rule_id, profile_id, hour, hour_count, day, day_count';
    const rows = this.db.prepare(`SELECT ${cols} FROM quota_memory ${where} UNION ALL SELECT ${cols} FROM quota_shared ${where}
      ORDER BY rule_id, profile_id, instance_id`).all(...params, ...params) as Array<QuotaRow & { instance_id: string }>;
    return rows.map(toMemoryQuotaRow);
  }

  dropMemoryOf(instanceId: string): void {
    this.dropMemory.run(instanceId);
    this.dropShared.run(instanceId);
  }
}
