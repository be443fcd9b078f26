/**
 * Writes a whole keyserver (as read from another store) into an empty cluster database, in one
 * transaction: a failure half-way leaves the database as it was. Used by `kss keyserver clone-db`.
 * Policy version numbers, quota counters, token hashes and the audit chain are copied as they
 * are, so the chain verifies with the same hashes after the move.
 */
import { GENESIS_HASH } from '../../audit/chain.js';
import { StoreError, type AuditEntry, type KeyserverIdentity, type PolicyVersion, type StoredQuota, type TokenRecord } from '../types.js';
import type { Db } from './connection.js';
import { insertAuditRows } from './audit.js';
import { insertQuotaRows } from './quota.js';

export interface KeyserverSnapshot {
  identity: KeyserverIdentity;
  /** Every version, any order. */
  policies: PolicyVersion[];
  activeVersion: number;
  enabled: boolean;
  quota: StoredQuota[];
  tokens: TokenRecord[];
  /** The whole chain in seq order. */
  audit: AuditEntry[];
}

const TABLES = ['kss_identity', 'kss_policy', 'kss_quota', 'kss_token', 'kss_audit'] as const;

export async function importSnapshot(db: Db, snap: KeyserverSnapshot): Promise<void> {
  await db.tx(async (tx) => {
    // Serialises against a concurrent import or activation, then checks emptiness under the lock.
    await tx.query('SELECT singleton FROM kss_state WHERE singleton = 1 FOR UPDATE');
    const [held] = await tx.query<{ id: string }>('SELECT id FROM kss_identity WHERE singleton = 1');
    if (held) throw new StoreError('exists', `the database ${db.location} already holds keyserver \`${held.id}\`; clone-db only moves a keyserver into an empty database`);
    for (const table of TABLES) {
      const [row] = await tx.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`);
      if (Number(row?.n) > 0) throw new StoreError('exists', `the database ${db.location} is not empty (table ${table} has rows); use an empty database`);
    }
    const id = snap.identity;
    // The public key only: clone-db moves the private key into the data directory's key file.
    await tx.execute('INSERT INTO kss_identity (singleton, id, public_key, created_at) VALUES (1, ?, ?, ?)', [id.id, id.publicKey, id.createdAt]);
    for (const p of snap.policies) {
      await tx.execute('INSERT INTO kss_policy (version, source, file, artifact, sha256, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        p.version, p.source, p.file, p.artifactJson, p.sha256, p.loadedBy, p.loadedAt,
      ]);
    }
    await insertQuotaRows(tx, snap.quota);
    for (const t of snap.tokens) {
      await tx.execute('INSERT INTO kss_token (id, hash, role, label, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)', [
        t.id, t.hash, t.role, t.label, t.createdAt, t.revokedAt,
      ]);
    }
    await insertAuditRows(tx, snap.audit);
    const last = snap.audit[snap.audit.length - 1];
    await tx.execute('UPDATE kss_audit_head SET seq = ?, hash = ? WHERE singleton = 1', [last?.seq ?? 0, last?.hash ?? GENESIS_HASH]);
    // Epochs move so that any instance already polling this database reloads everything.
    await tx.execute('UPDATE kss_state SET enabled = ?, active_version = ?, quota_epoch = quota_epoch + 1, token_epoch = token_epoch + 1 WHERE singleton = 1', [
      snap.enabled ? 1 : 0, snap.activeVersion,
    ]);
  });
}
