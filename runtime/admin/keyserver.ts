/** Creating, backing up and restoring the keyserver identity; status; enable/disable. */
import { existsSync } from 'node:fs';
import { generateIdentity } from '../identity/keys.js';
import { backupPaths, readBackup, writeBackup, type BackupPassphrase, type BackupTarget } from '../identity/backup-shares.js';
import { signAfterCommand } from '../audit/signer.js';
import { DEFAULT_DATA_DIR, openStore, type StoreTarget } from '../store/open.js';
import { StoreError, type KeyserverIdentity, type KssStore } from '../store/types.js';

export async function createKeyserver(target: StoreTarget, actor: string, backup?: BackupTarget): Promise<KeyserverIdentity> {
  const taken = backup && backupPaths(backup).find((p) => existsSync(p));
  if (taken) throw new StoreError('exists', `\`${taken}\` already exists; choose another backup path`);
  const store = await openStore({ ...target, create: true });
  try {
    if (await store.getIdentity()) throw new StoreError('exists', `a keyserver already exists in ${store.location}`);
    const identity = generateIdentity();
    await store.createIdentity(identity);
    if (backup) await writeBackup(backup, identity);
    await store.appendAudit([{ at: identity.createdAt, kind: 'keyserver.create', actor, data: { keyserver_id: identity.id, backup: !!backup, backup_shares: backup?.shares ?? null, backup_threshold: backup?.threshold ?? null } }]);
    await signAfterCommand(store, target.dataDir ?? DEFAULT_DATA_DIR, 0);
    return identity;
  } finally {
    await store.close();
  }
}

export async function requireIdentity(store: KssStore): Promise<KeyserverIdentity> {
  const id = await store.getIdentity();
  if (!id) throw new StoreError('not-found', `no keyserver in ${store.location} (run \`kss keyserver create\` first)`);
  return id;
}

/** Writes a fresh backup (a whole file, or a fresh set of share files); resolves with the files written. */
export async function saveBackupKey(store: KssStore, backup: BackupTarget, actor: string): Promise<{ identity: KeyserverIdentity; paths: string[] }> {
  const identity = await requireIdentity(store);
  const paths = await writeBackup(backup, identity);
  await store.appendAudit([{ at: new Date().toISOString(), kind: 'keyserver.backup', actor, data: { keyserver_id: identity.id, backup_shares: backup.shares ?? null, backup_threshold: backup.threshold ?? null } }]);
  return { identity, paths };
}

/** Restores the identity (same id) into a store that has none, from a backup file or enough of its shares. */
export async function recoveryIngestKey(target: StoreTarget, paths: string[], passphrase: BackupPassphrase, actor: string): Promise<KeyserverIdentity> {
  const identity = await readBackup(paths, passphrase);
  const store = await openStore({ ...target, create: true });
  try {
    // A SQLite keyserver whose key file was lost or damaged cannot say who it is (getIdentity
    // refuses); createIdentity then puts back the key of the keyserver kss.db names, and only that.
    const existing = await store.getIdentity().catch((e: unknown) => {
      if (e instanceof StoreError && e.code === 'corrupt') return null;
      throw e;
    });
    if (existing) throw new StoreError('exists', `${store.location} already holds keyserver ${existing.id}; recovery needs an empty data directory, or one whose signing key file was lost`);
    await store.createIdentity(identity);
    await store.appendAudit([{ at: new Date().toISOString(), kind: 'keyserver.recover', actor, data: { keyserver_id: identity.id } }]);
    await signAfterCommand(store, target.dataDir ?? DEFAULT_DATA_DIR, 0);
    return identity;
  } finally {
    await store.close();
  }
}

export async function setEnabled(store: KssStore, enabled: boolean, actor: string): Promise<void> {
  await requireIdentity(store);
  await store.setEnabled(enabled);
  await store.appendAudit([{ at: new Date().toISOString(), kind: enabled ? 'enable' : 'disable', actor, data: {} }]);
}

export interface StatusReport {
  keyserver_id: string;
  public_key: string;
  enabled: boolean;
  policy: { version: number; sha256: string; file: string; loaded_at: string; loaded_by: string } | null;
  counts: { quota_counters: number; tokens: number; audit_entries: number; policy_versions: number };
}

export async function statusReport(store: KssStore): Promise<StatusReport> {
  const identity = await requireIdentity(store);
  const [stamp, policy, quota, tokens, policies, lastAudit] = await Promise.all([
    store.changeStamp(), store.activePolicy(), store.listQuota(), store.listTokens(), store.listPolicies(), lastSeq(store),
  ]);
  return {
    keyserver_id: identity.id,
    public_key: identity.publicKey,
    enabled: stamp.enabled,
    policy: policy && { version: policy.version, sha256: policy.sha256, file: policy.file, loaded_at: policy.loadedAt, loaded_by: policy.loadedBy },
    counts: { quota_counters: quota.length, tokens: tokens.filter((t) => !t.revokedAt).length, audit_entries: lastAudit, policy_versions: policies.length },
  };
}

async function lastSeq(store: KssStore): Promise<number> {
  return (await store.lastAudit())?.seq ?? 0;
}
