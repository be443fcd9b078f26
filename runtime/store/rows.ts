/**
 * Rows as both stores' tables hold them (the same column names in SQLite and MySQL), and what they
 * read as. MySQL may hand back BIGINT columns as strings, hence the Number()s.
 */
import type { MemoryQuotaRow, QuotaCount, QuotaFilter } from '../quota/types.js';
import { isCanonicalJson } from '../json/canonical.js';
import type { AuditCheckpoint, AuditEntry } from './types.js';

export interface AuditRow {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export interface QuotaRow {
  rule_id: string;
  profile_id: string;
  hour: string;
  hour_count: number;
  day: string;
  day_count: number;
}

export function toAuditEntry(r: AuditRow): AuditEntry {
  const entry: AuditEntry = { seq: Number(r.seq), at: r.at, kind: r.kind, actor: r.actor, data: parseData(r.data), prevHash: r.prev_hash, hash: r.hash };
  if (!isCanonicalJson(r.data)) entry.rawData = r.data;
  return entry;
}

export interface CheckpointRow {
  seq: number;
  hash: string;
  at: string;
  signature: string;
}

export function toCheckpoint(r: CheckpointRow): AuditCheckpoint {
  return { seq: Number(r.seq), hash: r.hash, at: r.at, signature: r.signature };
}

function parseData(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    // An edited row that is no longer JSON: keep the text so `audit --verify` reports the entry.
    return { unreadable: text };
  }
}

export function toQuotaCount(r: QuotaRow): QuotaCount {
  return { ruleId: r.rule_id, profileId: r.profile_id, hour: r.hour, hourCount: Number(r.hour_count), day: r.day, dayCount: Number(r.day_count) };
}

export function toMemoryQuotaRow(r: QuotaRow & { instance_id: string }): MemoryQuotaRow {
  return { ...toQuotaCount(r), instanceId: r.instance_id };
}

/** `WHERE rule_id = ? AND profile_id = ?` for the fields a filter has (none: every row). */
export function quotaFilterSql(filter: QuotaFilter = {}): { where: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (filter.ruleId !== undefined) {
    parts.push('rule_id = ?');
    params.push(filter.ruleId);
  }
  if (filter.profileId !== undefined) {
    parts.push('profile_id = ?');
    params.push(filter.profileId);
  }
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}
