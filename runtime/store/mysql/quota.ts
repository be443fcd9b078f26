/**
 * Persistent throttle counts shared by every instance of a cluster.
 *
 * tryConsume is one transaction sent as ONE packet (BEGIN ... COMMIT), so the row locks are held
 * only while the server executes it, never across a network round trip or while a busy client
 * process waits for the CPU. For each use, in primary-key order (a fixed lock order, so two
 * transactions cannot deadlock on counter rows):
 *   1. INSERT ... ON DUPLICATE KEY UPDATE makes the row exist and takes its exclusive lock
 *      (concurrent first uses of a row queue here instead of failing on a duplicate key);
 *   2. @kss_ok stays true only while this use is below its limits in the window (a row last used
 *      in another hour or day counts as zero there);
 * then, only if @kss_ok: every row gets its new counts; otherwise rows that step 1 created are
 * removed again, so a refused rule set leaves no trace (as in SQLite). A rule set with a single
 * throttle (the usual case) needs no variable: the UPDATE's condition is the check. Deadlocks and lock waits
 * (from other statements, e.g. clearQuota) are retried in Db.tx. A counter stored before SPEC 4.6
 * under its local hour alone still counts in that hour (runtime/quota/rule.ts `sameHour`).
 *
 * Also the mirror of running servers' in-memory counters (kss_quota_memory), written by the
 * instance that holds them.
 */
import { compareKeys } from '../../quota/rule.js';
import type { MemoryQuotaChanges, MemoryQuotaRow, QuotaWindow, ThrottleUse } from '../../quota/types.js';
import { quotaFilterSql, toMemoryQuotaRow, toQuotaCount, type QuotaRow } from '../rows.js';
import type { AuditEntry, AuditInput, QuotaFilter, StoredQuota } from '../types.js';
import { appendStatements, chainedEntries } from './audit.js';
import type { Db, Statement, Tx } from './connection.js';

const key = (ruleId: string, profileId: string): string => `${ruleId}\u0000${profileId}`;

export async function tryConsume(db: Db, uses: ThrottleUse[], window: QuotaWindow): Promise<boolean> {
  if (uses.length === 0) return true;
  const byKey = new Map<string, ThrottleUse>();
  for (const u of uses) byKey.set(key(u.ruleId, u.profileId), u);
  const sorted = [...byKey.values()].sort(compareKeys);
  if (sorted.length === 1) {
    // The usual rule set has one throttle: the check is the UPDATE's own condition.
    const results = await db.atomic(consumeOneStatements(sorted[0]!, window));
    return (results[1] as { affectedRows: number }).affectedRows === 1;
  }
  const results = await db.atomic(consumeStatements(sorted, window));
  const last = results[results.length - 1] as Array<{ ok: number | string | null }>;
  return Number(last[0]?.ok) === 1;
}

const ENSURE_ROW =
  'INSERT INTO kss_quota (rule_id, profile_id, hour, hour_count, day, day_count) VALUES (?, ?, ?, 0, ?, 0) ON DUPLICATE KEY UPDATE rule_id = rule_id';
/** Each count is computed from the old hour/day before that column is set (left to right, and
 * equally right under MariaDB's SIMULTANEOUS_ASSIGNMENT mode). */
const COUNT_USE = 'UPDATE kss_quota SET hour_count = IF(hour IN (?, ?), hour_count + 1, 1), hour = ?, day_count = IF(day = ?, day_count + 1, 1), day = ?';
const BELOW_LIMITS = '(? IS NULL OR IF(hour IN (?, ?), hour_count, 0) < ?) AND (? IS NULL OR IF(day = ?, day_count, 0) < ?)';

const countParams = (w: QuotaWindow) => [w.hour, w.legacyHour, w.hour, w.day, w.day];
const limitParams = (u: ThrottleUse, w: QuotaWindow) => [u.perHour, w.hour, w.legacyHour, u.perHour, u.perDay, w.day, u.perDay];
const DROP_UNUSED = 'DELETE FROM kss_quota WHERE rule_id = ? AND profile_id = ? AND hour_count = 0 AND day_count = 0';

/** One use: ensure + lock the row, count it if below its limits (affected rows say so), tidy up. */
function consumeOneStatements(u: ThrottleUse, w: QuotaWindow): Statement[] {
  return [
    { sql: ENSURE_ROW, params: [u.ruleId, u.profileId, w.hour, w.day] },
    { sql: `${COUNT_USE} WHERE rule_id = ? AND profile_id = ? AND ${BELOW_LIMITS}`, params: [...countParams(w), u.ruleId, u.profileId, ...limitParams(u, w)] },
    { sql: DROP_UNUSED, params: [u.ruleId, u.profileId] },
  ];
}

export function consumeStatements(uses: ThrottleUse[], w: QuotaWindow): Statement[] {
  const out: Statement[] = [{ sql: 'SET @kss_ok = 1' }];
  for (const u of uses) {
    out.push({ sql: ENSURE_ROW, params: [u.ruleId, u.profileId, w.hour, w.day] });
    out.push({
      sql: `SET @kss_ok = @kss_ok AND (SELECT ${BELOW_LIMITS} FROM kss_quota WHERE rule_id = ? AND profile_id = ?)`,
      params: [...limitParams(u, w), u.ruleId, u.profileId],
    });
  }
  for (const u of uses) {
    out.push({ sql: `${COUNT_USE} WHERE rule_id = ? AND profile_id = ? AND @kss_ok`, params: [...countParams(w), u.ruleId, u.profileId] });
    out.push({ sql: DROP_UNUSED, params: [u.ruleId, u.profileId] });
  }
  out.push({ sql: 'SELECT @kss_ok AS ok' });
  return out;
}

export async function listQuota(db: Db, filter?: QuotaFilter): Promise<StoredQuota[]> {
  const { where, params } = quotaFilterSql(filter);
  const rows = await db.query<QuotaRow>(
    `SELECT rule_id, profile_id, hour, hour_count, day, day_count FROM kss_quota ${where} ORDER BY rule_id, profile_id`,
    params,
  );
  return rows.map(toQuotaCount);
}

/** Deletes, moves the epoch and appends the audit entry in one transaction (KssStore.clearQuota). */
export async function clearQuota(db: Db, filter: QuotaFilter, audit: (deleted: number) => AuditInput): Promise<{ cleared: number; entry: AuditEntry }> {
  const { where, params } = quotaFilterSql(filter);
  return db.tx(async (tx) => {
    const cleared = (await tx.execute(`DELETE FROM kss_quota ${where}`, params)).affectedRows;
    const inputs = [audit(cleared)];
    const results = await tx.commitWith([{ sql: 'UPDATE kss_state SET quota_epoch = quota_epoch + 1 WHERE singleton = 1' }, ...appendStatements(inputs)]);
    return { cleared, entry: chainedEntries(db, results, inputs)[0]! };
  });
}

const MEMORY_COLUMNS = 'instance_id, rule_id, profile_id, hour, hour_count, day, day_count';

/** One packet: the instance's removals, then its changed counters (500 to an INSERT). */
export async function saveMemoryQuota(db: Db, instanceId: string, changes: MemoryQuotaChanges): Promise<void> {
  const statements: Statement[] = [];
  if (changes.replace) statements.push({ sql: 'DELETE FROM kss_quota_memory WHERE instance_id = ?', params: [instanceId] });
  for (const k of changes.removals) {
    statements.push({ sql: 'DELETE FROM kss_quota_memory WHERE instance_id = ? AND rule_id = ? AND profile_id = ?', params: [instanceId, k.ruleId, k.profileId] });
  }
  for (let i = 0; i < changes.upserts.length; i += 500) {
    const chunk = changes.upserts.slice(i, i + 500);
    statements.push({
      sql: `INSERT INTO kss_quota_memory (${MEMORY_COLUMNS}) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}
        ON DUPLICATE KEY UPDATE hour = VALUES(hour), hour_count = VALUES(hour_count), day = VALUES(day), day_count = VALUES(day_count)`,
      params: chunk.flatMap((c) => [instanceId, c.ruleId, c.profileId, c.hour, c.hourCount, c.day, c.dayCount]),
    });
  }
  if (statements.length > 0) await db.atomic(statements);
}

export async function listMemoryQuota(db: Db, filter?: QuotaFilter): Promise<MemoryQuotaRow[]> {
  const { where, params } = quotaFilterSql(filter);
  const rows = await db.query<QuotaRow & { instance_id: string }>(
    `SELECT ${MEMORY_COLUMNS} FROM kss_quota_memory ${where} ORDER BY rule_id, profile_id, instance_id`,
    params,
  );
  return rows.map(toMemoryQuotaRow);
}

export async function dropMemoryQuota(db: Db, instanceId: string): Promise<void> {
  await db.execute('DELETE FROM kss_quota_memory WHERE instance_id = ?', [instanceId]);
}

/** Writes counters as they are (clone-db), inside the importer's transaction. */
export async function insertQuotaRows(tx: Tx, rows: StoredQuota[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await tx.execute(
      `INSERT INTO kss_quota (rule_id, profile_id, hour, hour_count, day, day_count) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((r) => [r.ruleId, r.profileId, r.hour, r.hourCount, r.day, r.dayCount]),
    );
  }
}
