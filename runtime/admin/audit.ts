/** `audit --verify` and the tail of the log, over a store and the data directory beside it. */
import { verifyAuditLog, type AuditReport } from '../audit/verify.js';
import { readLocalKey } from '../identity/local-key.js';
import { StoreError, type AuditEntry, type KssStore } from '../store/types.js';

/**
 * Verifies with the data directory's signing key when it holds one (cluster instances, and
 * SQLite keyservers once their key left the database): a public key taken from the database
 * could have been replaced by whoever rewrote the log there.
 */
export async function verifyAudit(store: KssStore, dataDir?: string, now = new Date()): Promise<AuditReport> {
  // A SQLite store whose identity row no longer matches the key file refuses to name an identity;
  // that is one more finding, and the log is still checked against the key file.
  const held = await store.getIdentity().catch((e: unknown) => {
    if (e instanceof StoreError && e.code === 'corrupt') return e;
    throw e;
  });
  const local = dataDir === undefined ? null : readLocalKey(dataDir);
  const key = local ?? (held instanceof StoreError ? null : held);
  const heldProblems = held instanceof StoreError ? [{ seq: 0, message: held.message }] : [];
  if (key === null) {
    const last = await store.lastAudit();
    return {
      count: last?.seq ?? 0, checkpoints: 0, headFile: false, signedUpTo: null, unsigned: null,
      problems: [...heldProblems, { seq: 0, message: `${store.location} holds no keyserver identity, so no checkpoint can be checked` }],
    };
  }
  const report = await verifyAuditLog(store, { keyserverId: key.id, publicKey: key.publicKey }, dataDir, now);
  if (held && !(held instanceof StoreError) && local && (held.id !== local.id || held.publicKey !== local.publicKey)) {
    report.problems.unshift({ seq: 0, message: `the database names keyserver \`${held.id}\`, but this data directory's signing key is \`${local.id}\`'s` });
  }
  report.problems.unshift(...heldProblems);
  return report;
}

/** The newest entries (up to `limit`), oldest first, without reading the whole log. */
export async function tailAudit(store: KssStore, limit: number): Promise<AuditEntry[]> {
  const last = await store.lastAudit();
  if (!last) return [];
  return store.readAudit(Math.max(0, last.seq - limit), limit);
}
