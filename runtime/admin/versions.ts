/**
 * Policy versions (`kss keyserver policy list`, `policy --rollback V`). Every load is a version in
 * the store; what it kept and reset is in its `policy.load` audit entry, so listing reads both and
 * the stores keep no second copy of the counts. A rollback loads the old version's text again as a
 * new version: the history only grows, and the audit says which version it came back to.
 */
import type { AuditEntry, KssStore } from '../store/types.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import { loadPolicy, serverZone, type LoadResult } from './policy.js';

export interface VersionRow {
  version: number;
  sha256: string;
  file: string;
  loaded_at: string;
  /** `cli:<user>@<host>` or `api:<token id>`. */
  loaded_by: string;
  /** How many rule ids kept their quota counters, and how many had them reset (null: no audit entry says). */
  kept: number | null;
  reset: number | null;
  /** The version this one rolled back to, when it was a rollback. */
  rollback_of: number | null;
  active: boolean;
}

export async function listVersions(store: KssStore): Promise<VersionRow[]> {
  const [versions, active, loads] = await Promise.all([store.listPolicies(), store.activePolicy(), auditOfKind(store, 'policy.load')]);
  const byVersion = new Map(loads.map((e) => [e.data.version, e.data]));
  return versions
    .map((p) => {
      const d = byVersion.get(p.version) as { carried?: unknown[]; reset?: unknown[]; rollback_of?: number } | undefined;
      return {
        version: p.version, sha256: p.sha256, file: p.file, loaded_at: p.loadedAt, loaded_by: p.loadedBy,
        kept: Array.isArray(d?.carried) ? d.carried.length : null,
        reset: Array.isArray(d?.reset) ? d.reset.length : null,
        rollback_of: typeof d?.rollback_of === 'number' ? d.rollback_of : null,
        active: active?.version === p.version,
      };
    })
    .sort((a, b) => a.version - b.version);
}

/** Every audit entry of one kind (after seq `from`), page by page. */
export async function auditOfKind(store: KssStore, kind: string, from = 0): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let after = from; ;) {
    const page = await store.readAudit(after, 1000, kind);
    if (page.length === 0) return out;
    out.push(...page);
    after = page[page.length - 1]!.seq;
  }
}

export class RollbackError extends Error {}

/**
 * Activates version `version`'s text again, compiled anew in the server's zone. Throws
 * RollbackError when there is no such version; the result is `unchanged` when it is the active text.
 */
export async function rollback(store: KssStore, version: number, actor: string, zone: ZoneInfo = serverZone()): Promise<LoadResult> {
  const old = (await store.listPolicies()).find((p) => p.version === version);
  if (!old) {
    const known = (await store.listPolicies()).map((p) => p.version).sort((a, b) => a - b);
    throw new RollbackError(`there is no policy version ${version} (versions: ${known.length ? known.join(', ') : 'none'}); see \`kss keyserver policy list\``);
  }
  return loadPolicy(store, old.source, old.file, actor, zone, undefined, { rollback_of: version });
}
