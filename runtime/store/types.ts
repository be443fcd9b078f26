/**
 * The keyserver store: everything a keyserver keeps between restarts, behind one interface.
 * SQLite (runtime/store/sqlite/, the embedded default) and MySQL (runtime/store/mysql/, cluster
 * mode) both implement it; the server and the admin commands only ever see `KssStore`.
 *
 * Every method is async because MySQL is. Implementations must be safe to call concurrently from
 * one process and, for MySQL, from several processes at once.
 */
import type { MemoryQuotaChanges, MemoryQuotaRow, QuotaCount, QuotaFilter, QuotaWindow, ThrottleUse } from '../quota/types.js';

/** The keyserver's signing identity (Ed25519). The id is derived from the public key. */
export interface KeyserverIdentity {
  /** `ks_` + first 32 hex chars of sha-256(raw public key); see runtime/identity/keys.ts. */
  id: string;
  /** Raw 32-byte Ed25519 public key, base64. Published by `GET /v1/status`. */
  publicKey: string;
  /**
   * PKCS#8 DER of the private key, base64. No database holds it: the data directory's key file
   * (runtime/identity/local-key.ts, mode 0600, in a 0700 directory) does, and the store adds it
   * here when it matches the database's public key. So database access alone cannot sign. Backup
   * files written by `save-backup-key` are encrypted (scrypt + AES-256-GCM).
   *
   * Absent when the store cannot sign: a MySQL store whose instance has not joined (no matching
   * key file). A SQLite store without its key file refuses instead (StoreError 'corrupt').
   */
  privateKey?: string;
  /** ISO-8601 UTC. */
  createdAt: string;
}

/** An identity that can sign: what key generation, backups and local key files yield. */
export type SigningIdentity = KeyserverIdentity & { privateKey: string };

export interface NewPolicyVersion {
  /** The keyserver.yml text as loaded. */
  source: string;
  /** File name the source came from (for messages only). */
  file: string;
  /** The compiled artifact, serialised JSON (compiler/emit/artifact.ts). */
  artifactJson: string;
  /** sha-256 hex of `source` (the artifact carries the same value). */
  sha256: string;
  /** Every rule id of the policy: quota counters of other rule ids are deleted on activation. */
  ruleIds: string[];
  /** Who loaded it (`cli:<user>@<host>`, `api:<token id>`). */
  loadedBy: string;
}

export interface PolicyVersion extends Omit<NewPolicyVersion, 'ruleIds'> {
  /** 1, 2, 3 ... in load order. */
  version: number;
  /** ISO-8601 UTC. */
  loadedAt: string;
}

export interface PolicyActivation {
  policy: PolicyVersion;
  /** Rule ids that had quota counters and keep them (their rule_id is unchanged). */
  carried: string[];
  /** Rule ids whose counters were deleted because the new policy no longer has them. */
  reset: string[];
}

/** One persistent counter row (counts for the window it was last used in). */
export type StoredQuota = QuotaCount;
export type { MemoryQuotaChanges, MemoryQuotaRow, QuotaFilter };

export type TokenRole = 'client' | 'admin';

export interface TokenRecord {
  /** Public, short id (also the first part of the token text); used to list and revoke. */
  id: string;
  /** sha-256 hex of the whole token text. The token itself is never stored. */
  hash: string;
  role: TokenRole;
  label: string;
  createdAt: string;
  /** ISO-8601 UTC, or null while valid. */
  revokedAt: string | null;
}

/** What the caller hands to `appendAudit`; the store adds seq, prevHash and hash. */
export interface AuditInput {
  /** ISO-8601 UTC. */
  at: string;
  /** `decision`, `policy.load`, `enable`, `disable`, `quota.clear`, `token.create`, ... */
  kind: string;
  /** `api:<token id>`, `cli:<user>@<host>`, ... never a secret. */
  actor: string;
  /** Kind-specific, JSON-serialisable, never a secret. */
  data: Record<string, unknown>;
  /**
   * canonicalJson(data), when the writer spelled it already (a server's decision entries,
   * runtime/audit/decision-entry.ts): the stores then write and hash this text instead of
   * serialising `data` again (runtime/audit/chain.ts `dataText`). Never kept in an AuditEntry.
   */
  dataJson?: string;
}

export interface AuditEntry extends Omit<AuditInput, 'dataJson'> {
  seq: number;
  /** Hash of the previous entry; 64 zeros for the first. */
  prevHash: string;
  /** runtime/audit/chain.ts `auditHash(prevHash, input)`. */
  hash: string;
  /**
   * The stored `data` text, present only when it is not canonical JSON (runtime/json/canonical.ts):
   * a row edited to hold duplicate or reordered keys, which `audit --verify` reports.
   */
  rawData?: string;
}

export type AuditLink = Pick<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/**
 * A signed statement of the chain's head: "entry `seq` has hash `hash`", signed at `at` with the
 * keyserver's key (runtime/audit/checkpoint.ts). Entries a checkpoint covers cannot be removed,
 * renumbered or rewritten without `audit --verify` noticing, even by someone who can write to the
 * database, since that needs the private key.
 */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  /** ISO-8601 UTC, when it was signed. */
  at: string;
  /** Ed25519 signature, base64, over runtime/audit/checkpoint.ts `checkpointMessage`. */
  signature: string;
}

/**
 * A cheap summary the server polls (about every 250 ms) to notice CLI changes made in another
 * process: a new policy, enable/disable, cleared quotas, revoked tokens.
 */
export interface ChangeStamp {
  policyVersion: number;
  enabled: boolean;
  /**
   * Bumped by every `clearQuota` (in the transaction that writes its `quota.clear` audit entry), and
   * by a policy activation that reset counters. A server that sees it move reads the new
   * `quota.clear` entries and clears the matching in-memory counters (runtime/quota/clears.ts).
   */
  quotaEpoch: number;
  /** Bumped by token create/revoke. */
  tokenEpoch: number;
}

export interface InstanceRecord {
  /** One per data directory, kept across restarts (runtime/datadir/state.ts). */
  id: string;
  host: string;
  /** kss version. */
  version: string;
  /** The policy version the instance runs; null while it runs none. */
  policyVersion: number | null;
  startedAt: string;
  /** When it stopped cleanly (its last heartbeat says so); null while it runs, or after a crash. */
  stoppedAt: string | null;
  lastHeartbeat: string;
}

/** One tryConsume of a batch (KssStore.tryConsumeMany). */
export interface ConsumeRequest {
  uses: ThrottleUse[];
  window: QuotaWindow;
  shared?: string;
}

export interface KssStore {
  /** `sqlite:<file>` or a `mysql://` URI without the password, for messages. */
  readonly location: string;
  /**
   * How many processes of one server (`kss serve --workers N`) may serve this store: more than
   * one needs the shared non-persistent counters of `tryConsume(..., shared)`.
   */
  readonly maxWorkers: number;

  // ---- identity
  getIdentity(): Promise<KeyserverIdentity | null>;
  /** Fails with StoreError('exists') when the store already holds a keyserver. */
  createIdentity(identity: KeyserverIdentity): Promise<void>;

  // ---- policy
  /**
   * Stores a new version and makes it active, in one transaction that also deletes the quota
   * counters of rule ids not in `ruleIds` and bumps the change stamp.
   */
  activatePolicy(policy: NewPolicyVersion): Promise<PolicyActivation>;
  activePolicy(): Promise<PolicyVersion | null>;
  /** Without source/artifact bodies would be nicer, but the lists are short. Newest first. */
  listPolicies(): Promise<PolicyVersion[]>;

  // ---- enabled flag (a new keyserver starts disabled until a policy is loaded and enabled)
  setEnabled(enabled: boolean): Promise<void>;

  // ---- persistent quota
  /**
   * One atomic step: if every use is below its per_hour/per_day in `window` (a row whose hour or
   * day differs from the window counts as zero there), add one to each and return true; otherwise
   * change nothing and return false. Durable before it resolves true. With `shared` (the instance
   * id of a server running several worker processes, `maxWorkers` > 1 only), the uses of
   * `persistent: false` throttles count in the store's shared table instead, in the same step.
   */
  tryConsume(uses: ThrottleUse[], window: QuotaWindow, shared?: string): Promise<boolean>;
  /**
   * Several tryConsume requests in one transaction, each all or nothing on its own and in order
   * (runtime/quota/consume-batch.ts); durable before it resolves. Optional: a store without it is
   * asked one request at a time.
   */
  tryConsumeMany?(requests: ConsumeRequest[]): Promise<boolean[]>;
  listQuota(filter?: QuotaFilter): Promise<StoredQuota[]>;
  /**
   * One transaction: deletes the matching counters (all for an empty filter), bumps quotaEpoch and
   * appends the audit entry `audit(deleted)` describes, so that whoever sees the epoch move also
   * finds the entry. Returns the number deleted and the entry.
   */
  clearQuota(filter: QuotaFilter, audit: (deleted: number) => AuditInput): Promise<{ cleared: number; entry: AuditEntry }>;

  // ---- the in-memory counters of running servers, mirrored so that other processes can list them
  /** Written by the instance that holds the counters only (runtime/quota/server-quota.ts). */
  saveMemoryQuota(instanceId: string, changes: MemoryQuotaChanges): Promise<void>;
  /** Every instance's mirrored counters, sorted by rule id, profile id, instance id. */
  listMemoryQuota(filter?: QuotaFilter): Promise<MemoryQuotaRow[]>;
  dropMemoryQuota(instanceId: string): Promise<void>;

  // ---- API tokens
  createToken(token: Omit<TokenRecord, 'revokedAt'>): Promise<void>;
  listTokens(): Promise<TokenRecord[]>;
  /** Returns false when no such (unrevoked) token exists. */
  revokeToken(id: string, at: string): Promise<boolean>;
  /** The unrevoked token with this hash, or null. */
  findToken(hash: string): Promise<TokenRecord | null>;

  // ---- audit log (append-only hash chain)
  /**
   * Appends in order, in one transaction that reads the last hash and inserts: the chain stays
   * single and valid with several writers. Resolves after the entries are committed.
   */
  appendAudit(entries: AuditInput[]): Promise<AuditEntry[]>;
  /** Entries with seq > afterSeq, ascending, at most `limit`; only those of `kind` when given. */
  readAudit(afterSeq: number, limit: number, kind?: string): Promise<AuditEntry[]>;
  /** The newest entry, or null for an empty log (status shows its seq as the entry count). */
  lastAudit(): Promise<AuditEntry | null>;
  /** seq, prevHash and hash of the entries with seq > afterSeq, ascending: the links alone, cheap to read. */
  readAuditLinks(afterSeq: number, limit: number): Promise<AuditLink[]>;
  /** Stores a checkpoint; one for the same seq already there is kept (several signers, one head). */
  addCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  /** Checkpoints with seq > afterSeq, ascending, at most `limit`. */
  readCheckpoints(afterSeq: number, limit: number): Promise<AuditCheckpoint[]>;
  /** The checkpoint with the highest seq, or null when none was signed yet. */
  lastCheckpoint(): Promise<AuditCheckpoint | null>;

  // ---- coordination
  changeStamp(): Promise<ChangeStamp>;
  /** Adds the instance, or updates it when its id is known already. */
  heartbeat(instance: Omit<InstanceRecord, 'lastHeartbeat'>, at: string): Promise<void>;
  listInstances(): Promise<InstanceRecord[]>;
  /** Forgets an instance (`instance remove`); false when there was none with this id. */
  removeInstance(id: string): Promise<boolean>;
  /**
   * Called once by `kss serve` before serving. SQLite: holds an OS lock on `<dataDir>/serve.lock`
   * so a second server on the same data directory refuses (StoreError('locked')); the lock dies
   * with the process, even on kill -9. MySQL: may return a no-op (several instances are the point).
   * Resolves to a release function.
   */
  acquireServeLock(): Promise<() => void>;

  close(): Promise<void>;
}

export type StoreErrorCode = 'exists' | 'locked' | 'unavailable' | 'corrupt' | 'not-found';

/** Errors the CLI and server turn into messages or status codes (never a stack trace). */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
