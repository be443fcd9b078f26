/**
 * Persistent throttle counts shared by every instance of a cluster.
 *
 * tryConsume is one transaction: lock the rule set's counter rows (one statement, primary-key
 * order, so two transactions always lock in the same order), check every limit, write all or
 * nothing. A counter row that does not exist yet is inserted; when two instances insert the same
 * row at once the loser gets a duplicate-key error and the whole transaction runs again (it then
 * finds and locks the row). Deadlocks and lock waits are retried in Db.tx.
 */
import type { QuotaWindow, ThrottleUse } from '../../evaluator/types.js';
import type { QuotaFilter, StoredQuota } from '../types.js';
import type { Db, Tx } from './connection.js';

interface QuotaRow {
  rule_id: string;
  profile_id: string;
  hour: string;
  hour_count: number;
  day: string;
  day_count: number;
}

const ER_DUP_ENTRY = 1062;
const isDuplicate = (e: unknown): boolean => (e as { errno?: number })?.errno === ER_DUP_ENTRY;

const key = (ruleId: string, profileId: string): string => `${ruleId}\u0000${profileId}`;

export async function tryConsume(db: Db, uses: ThrottleUse[], window: QuotaWindow): Promise<boolean> {
  if (uses.length === 0) return true;
  // Sorted and without repeats: the lock order is fixed and one row gets one use per decision.
  const byKey = new Map<string, ThrottleUse>();
  for (const u of uses) byKey.set(key(u.ruleId, u.profileId), u);
  const sorted = [...byKey.values()].sort((a, b) =>
    a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.profileId < b.profileId ? -1 : a.profileId > b.profileId ? 1 : 0,
  );
  return db.tx((tx) => consumeIn(tx, sorted, window), isDuplicate);
}

async function consumeIn(tx: Tx, uses: ThrottleUse[], window: QuotaWindow): Promise<boolean> {
  const where = uses.map(() => '(rule_id = ? AND profile_id = ?)').join(' OR ');
  const rows = await tx.query<QuotaRow>(
    `SELECT rule_id, profile_id, hour, hour_count, day, day_count FROM kss_quota WHERE ${where}
     ORDER BY rule_id, profile_id FOR UPDATE`,
    uses.flatMap((u) => [u.ruleId, u.profileId]),
  );
  const found = new Map(rows.map((r) => [key(r.rule_id, r.profile_id), r]));
  const next: QuotaRow[] = [];
  for (const u of uses) {
    const row = found.get(key(u.ruleId, u.profileId));
    // A row last used in another hour or day counts as zero in this one.
    const hourCount = row && row.hour === window.hour ? Number(row.hour_count) : 0;
    const dayCount = row && row.day === window.day ? Number(row.day_count) : 0;
    if (u.perHour !== null && hourCount >= u.perHour) return false;
    if (u.perDay !== null && dayCount >= u.perDay) return false;
    next.push({ rule_id: u.ruleId, profile_id: u.profileId, hour: window.hour, hour_count: hourCount + 1, day: window.day, day_count: dayCount + 1 });
  }
  // We hold the locks of existing rows, so writing absolute values is exact. New rows are plain
  // INSERTs (a concurrent inserter makes this fail with a duplicate key and retry).
  const existing = next.filter((r) => found.has(key(r.rule_id, r.profile_id)));
  const fresh = next.filter((r) => !found.has(key(r.rule_id, r.profile_id)));
  for (const r of existing) {
    await tx.execute(
      'UPDATE kss_quota SET hour = ?, hour_count = ?, day = ?, day_count = ? WHERE rule_id = ? AND profile_id = ?',
      [r.hour, r.hour_count, r.day, r.day_count, r.rule_id, r.profile_id],
    );
  }
  if (fresh.length > 0) {
    await tx.execute(
      `INSERT INTO kss_quota (rule_id, profile_id, hour, hour_count, day, day_count) VALUES ${fresh.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      fresh.flatMap((r) => [r.rule_id, r.profile_id, r.hour, r.hour_count, r.day, r.day_count]),
    );
  }
  return true;
}

function filterSql(filter: QuotaFilter | undefined): { where: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (filter?.ruleId !== undefined) {
    parts.push('rule_id = ?');
    params.push(filter.ruleId);
  }
  if (filter?.profileId !== undefined) {
    parts.push('profile_id = ?');
    params.push(filter.profileId);
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export async function listQuota(db: Db, filter?: QuotaFilter): Promise<StoredQuota[]> {
  const { where, params } = filterSql(filter);
  const rows = await db.query<QuotaRow>(
    `SELECT rule_id, profile_id, hour, hour_count, day, day_count FROM kss_quota ${where} ORDER BY rule_id, profile_id`,
    params,
  );
  return rows.map(toStored);
}

export async function clearQuota(db: Db, filter?: QuotaFilter): Promise<number> {
  const { where, params } = filterSql(filter);
  return db.tx(async (tx) => {
    const res = await tx.execute(`DELETE FROM kss_quota ${where}`, params);
    await tx.execute('UPDATE kss_state SET quota_epoch = quota_epoch + 1 WHERE singleton = 1');
    return res.affectedRows;
  });
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

function toStored(r: QuotaRow): StoredQuota {
  return { ruleId: r.rule_id, profileId: r.profile_id, hour: r.hour, hourCount: Number(r.hour_count), day: r.day, dayCount: Number(r.day_count) };
}
