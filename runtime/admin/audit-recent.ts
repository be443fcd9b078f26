/**
 * The console's audit page (`GET /v1/audit`): the newest entries first, optionally only those of
 * one profile or one kind, read backwards page by page so that a long log is never read whole.
 */
import type { AuditEntry, KssStore } from '../store/types.js';

/** Most entries one answer holds. */
export const MAX_AUDIT_PAGE = 500;
/** Most entries one filtered read looks at before it answers with what it found (and says so). */
export const MAX_AUDIT_SCAN = 20_000;
const PAGE = 500;

export interface RecentFilter {
  limit: number;
  /** Lower-case hex: entries whose `data.profile_id` is this one (decisions, quota clears). */
  profileId?: string;
  kind?: string;
  /** Only entries older than this seq (the next page of a listing). */
  beforeSeq?: number;
}

export interface RecentAudit {
  entries: AuditEntry[];
  /** True when the scan stopped at MAX_AUDIT_SCAN entries: older matches may exist. */
  truncated: boolean;
}

function matches(e: AuditEntry, f: RecentFilter): boolean {
  if (f.kind !== undefined && e.kind !== f.kind) return false;
  if (f.profileId !== undefined && e.data.profile_id !== f.profileId) return false;
  return true;
}

export async function recentAudit(store: KssStore, f: RecentFilter): Promise<RecentAudit> {
  const limit = Math.min(Math.max(1, f.limit), MAX_AUDIT_PAGE);
  const last = (await store.lastAudit())?.seq ?? 0;
  let end = Math.min(last + 1, f.beforeSeq ?? Infinity);
  const found: AuditEntry[] = [];
  let scanned = 0;
  while (end > 1 && found.length < limit && scanned < MAX_AUDIT_SCAN) {
    const start = Math.max(1, end - PAGE);
    const page = await store.readAudit(start - 1, end - start);
    scanned += page.length;
    for (let i = page.length - 1; i >= 0 && found.length < limit; i--) if (matches(page[i]!, f)) found.push(page[i]!);
    end = start;
  }
  return { entries: found, truncated: end > 1 && found.length < limit };
}
