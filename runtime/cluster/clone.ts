/**
 * `kss keyserver clone-db NEW_URI`: moves a single-machine keyserver from its SQLite file into a
 * MySQL database and switches the data directory to cluster mode (cluster.json).
 *
 * While copying it holds the data directory's serve lock, so no server can be answering (and
 * counting) from the SQLite file meanwhile; afterwards every command and `kss serve` on that data
 * directory use the shared database. The SQLite file stays as it was, as a fallback copy.
 * The signing key stays in the data directory's key file (signing-key.json, 0600), where the
 * SQLite store keeps it too; the database gets the public key only.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chainVerifier } from '../audit/chain.js';
import { AuditSigner } from '../audit/signer.js';
import { readClusterMarker, writeClusterMarker } from '../store/mysql/marker.js';
import type { KeyserverSnapshot } from '../store/mysql/import.js';
import { MysqlStore } from '../store/mysql/store.js';
import { redact } from '../store/mysql/uri.js';
import { SqliteStore } from '../store/sqlite/store.js';
import { StoreError, type AuditEntry, type KssStore } from '../store/types.js';

export interface CloneReport {
  keyserverId: string;
  target: string;
  policyVersions: number;
  quotaCounters: number;
  tokens: number;
  auditEntries: number;
}

export async function cloneToMysql(dataDir: string, uri: string, actor: string): Promise<CloneReport> {
  const dir = resolve(dataDir);
  const marker = readClusterMarker(dir);
  if (marker) throw new StoreError('exists', `\`${dataDir}\` is already in cluster mode (it uses ${redact(marker.dbUri)})`);
  if (!existsSync(join(dir, 'kss.db'))) throw new StoreError('not-found', `no keyserver in \`${dataDir}\` to move (run \`kss keyserver create --data-dir ${dataDir}\` first)`);
  const source = SqliteStore.open(dir, { create: false });
  let target: MysqlStore | null = null;
  try {
    const release = await source.acquireServeLock().catch(() => {
      throw new StoreError('locked', `a kss server is running on \`${dataDir}\`; stop it before moving the keyserver (it would keep counting in the old file)`);
    });
    try {
      const snapshot = await readSnapshot(source);
      const signing = snapshot.identity;
      if (signing.privateKey === undefined) throw new StoreError('corrupt', `${source.location} holds no private key to move`);
      target = await MysqlStore.open(uri, { create: true });
      // The private key stays on this machine, in the key file the SQLite store already keeps it
      // in (sqlite/identity.ts); the database gets the public key. A failed copy leaves it there.
      await target.importSnapshot(snapshot);
      await verifyCopy(snapshot, target);
      const entry = { at: new Date().toISOString(), kind: 'keyserver.clone-db', actor, data: { keyserver_id: snapshot.identity.id, from: source.location, to: target.location } };
      await target.appendAudit([entry]);
      // The copied chain gets a checkpoint in its new database (it follows from the data directory's
      // copy of the SQLite head, so the signer accepts it); earlier checkpoints stay in the old file.
      await new AuditSigner(target, { ...signing, privateKey: signing.privateKey }, dir).checkpoint();
      writeClusterMarker(dir, { dbUri: uri, keyserverId: snapshot.identity.id });
      return {
        keyserverId: snapshot.identity.id, target: target.location, policyVersions: snapshot.policies.length,
        quotaCounters: snapshot.quota.length, tokens: snapshot.tokens.length, auditEntries: snapshot.audit.length,
      };
    } finally {
      release();
    }
  } finally {
    await target?.close();
    await source.close();
  }
}

export async function readSnapshot(store: KssStore): Promise<KeyserverSnapshot> {
  const identity = await store.getIdentity();
  if (!identity) throw new StoreError('not-found', `${store.location} holds no keyserver to move`);
  const [policies, stamp, quota, tokens] = await Promise.all([store.listPolicies(), store.changeStamp(), store.listQuota(), store.listTokens()]);
  const audit: AuditEntry[] = [];
  for (;;) {
    const page = await store.readAudit(audit.length ? audit[audit.length - 1]!.seq : 0, 1000);
    audit.push(...page);
    if (page.length < 1000) break;
  }
  const v = chainVerifier();
  v.add(audit);
  if (v.problems.length > 0) {
    throw new StoreError('corrupt', `the audit log in ${store.location} does not verify (${v.problems[0]!.message}); run \`kss keyserver audit --verify\` and resolve it before moving`);
  }
  return { identity, policies, activeVersion: stamp.policyVersion, enabled: stamp.enabled, quota, tokens, audit };
}

/** Reads back what was written: same chain head, same counters, same tokens. */
async function verifyCopy(snap: KeyserverSnapshot, target: MysqlStore): Promise<void> {
  const last = await target.lastAudit();
  const wantLast = snap.audit[snap.audit.length - 1];
  const quota = await target.listQuota();
  const tokens = await target.listTokens();
  const same =
    (last?.hash ?? null) === (wantLast?.hash ?? null) &&
    JSON.stringify(quota) === JSON.stringify(snap.quota) &&
    tokens.length === snap.tokens.length;
  if (!same) throw new StoreError('corrupt', `the copy in ${target.location} does not read back as written; the data directory was left in single-machine mode`);
}
