/**
 * The running keyserver's state: identity, the loaded decision program, the enabled flag, a token
 * cache and its quota (runtime/quota/server-quota.ts), kept in step with the store by polling its
 * change stamp (every 250 ms by default, so CLI changes made in another process are live within a
 * second).
 */
import { randomUUID } from 'node:crypto';
import { loadProgram, type DecisionProgram } from '../evaluator/index.js';
import type { Decision, KssRequest } from '../evaluator/types.js';
import { explainDenial, reasonCodes, type DenialCode, type DenialReason } from '../evaluator/reasons.js';
import { privateKeyObject } from '../identity/keys.js';
import { BatchSigner, type BatchPath } from '../identity/batch-sign.js';
import { decisionText, sha256Hex } from '../identity/sign.js';
import { hashToken } from '../admin/tokens.js';
import { AuditBatcher } from '../audit/batch.js';
import { decisionEntryData, decisionEntryJson } from '../audit/decision-entry.js';
import { ServerQuota } from '../quota/server-quota.js';
import { ShadowRunner } from './shadow.js';
import type { ChangeStamp, KeyserverIdentity, KssStore, TokenRecord } from '../store/types.js';
import { instantFromMs, isoFromMs, type Instant, type Zone } from '../time/index.js';
import { HttpError } from './errors.js';
import { limitedLogger, type LimitedLogger } from './limited-log.js';
import { simulate } from '../admin/explain.js';
import { RevocationList } from '../custody/revocations.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface SignedDecision extends Decision {
  decision_id: string;
  request_sha256: string;
  decided_at: string;
  policy_version: number;
  policy_sha256: string;
  nonce: string | null;
  signature: string;
  /** Why it was denied (admin tokens only; not signed). */
  reasons?: DenialReason[];
  /** The reasons' codes, for client tokens when the server runs with `--client-reasons` (not signed). */
  reason_codes?: DenialCode[];
  /** The answer's place in the tree whose root `signature` signs (runtime/identity/batch-sign.ts). */
  batch: BatchPath;
}

/** What a client is told when a decision cannot be made durable (the reason is in the log). */
export const UNAVAILABLE = 'the keyserver cannot answer right now; try again';

export type AuditExtra = (d: Decision) => Record<string, unknown>;

const noop = () => {};

export class KeyserverRuntime {
  readonly quota: ServerQuota;
  /** Revoked profiles (runtime/custody): read from the store before each shard request. */
  readonly revocations: RevocationList;
  private readonly signer: BatchSigner;
  private readonly audits: AuditBatcher;
  private program: DecisionProgram | null = null;
  /** The policy version this process is running (may trail the store by one poll). */
  loaded: { version: number; sha256: string; loaded_at: string } | null = null;
  private stamp: ChangeStamp = { policyVersion: -1, enabled: false, quotaEpoch: -1, tokenEpoch: -1 };
  private tokens = new Map<string, TokenRecord>();
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private storeDown = false;
  private pending: Promise<void> = Promise.resolve();
  /** The token epoch read for the request being authenticated (see `authenticate`). */
  private tokenEpoch = -1;
  private stampRead: Promise<ChangeStamp> | null = null;
  private nextStampRead: Promise<ChangeStamp> | null = null;
  /** The refresh that catches up with a change a request's stamp read showed; shared by that turn's requests. */
  private catchingUp: Promise<void> | null = null;
  /** Why the last decision failed, until one succeeds again (`/healthz` says degraded meanwhile). */
  failing: string | null = null;
  /** `kss serve --client-reasons`: client tokens' denials carry the reasons' codes. */
  clientReasons = false;
  readonly shadow: ShadowRunner;
  private readonly limited: LimitedLogger;

  constructor(
    readonly store: KssStore,
    readonly identity: KeyserverIdentity,
    readonly zone: Zone,
    readonly instanceId: string,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    /** One of several worker processes: throttle counters shared in the store (server-quota.ts). */
    sharedQuota = false,
  ) {
    this.signer = new BatchSigner(privateKeyObject(identity));
    this.quota = new ServerQuota(store, instanceId, sharedQuota);
    this.revocations = new RevocationList(store);
    this.audits = new AuditBatcher((inputs) => store.appendAudit(inputs));
    this.limited = limitedLogger(log);
    this.shadow = new ShadowRunner(store, log, metrics);
  }

  get enabled(): boolean {
    return this.stamp.enabled;
  }

  get policyVersion(): number {
    return this.stamp.policyVersion;
  }

  get hasPolicy(): boolean {
    return this.program !== null;
  }

  /** Reads the stamp and reloads whatever changed. Safe to call at any time; never throws. */
  refresh(): Promise<void> {
    // Serialised: a caller that just wrote to the store waits for a read that started after it.
    this.pending = this.pending.then(() => this.poll());
    return this.pending;
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      const s = await this.store.changeStamp();
      if (s.policyVersion !== this.stamp.policyVersion) {
        const p = await this.store.activePolicy();
        if (p) {
          const program = loadProgram(JSON.parse(p.artifactJson));
          this.program = program;
          this.loaded = { version: p.version, sha256: p.sha256, loaded_at: p.loadedAt };
          this.quota.retain(program.ruleIds);
          this.log('info', 'policy loaded', { version: p.version, sha256: p.sha256 });
        }
      }
      if (s.enabled !== this.stamp.enabled) this.log('info', s.enabled ? 'keyserver enabled' : 'keyserver disabled');
      if (s.tokenEpoch !== this.stamp.tokenEpoch) this.tokens.clear();
      this.stamp = s;
      this.metrics.enabled = s.enabled;
      this.metrics.policyVersion = s.policyVersion;
      // Clears made elsewhere and the mirror of the in-memory counters; what fails is retried next poll.
      await this.quota.sync(s);
      await this.shadow.poll();
      if (this.storeDown) this.log('info', 'store reachable again');
      this.storeDown = false;
    } catch (err) {
      // Log the transition, not every poll (4 lines a second while a database is away).
      if (!this.storeDown) this.log('error', 'cannot read the store', { error: (err as Error).message });
      this.storeDown = true;
    } finally {
      this.polling = false;
    }
  }

  startPolling(intervalMs: number): void {
    this.pollTimer = setInterval(() => {
      if (!this.polling) void this.refresh();
    }, intervalMs);
    this.pollTimer.unref();
  }

  stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  /**
   * Exact revocation: every request reads the store's token epoch (one small row), in a read that
   * starts after the request arrived, and the cache is dropped when the epoch moved; so a token
   * revoked anywhere is refused from the next request on. The requests that arrive in one turn of
   * the event loop share one read, started at the end of that turn (setImmediate): it starts after
   * each of them arrived, and costs one read per turn instead of one per request (issue 15: the
   * read was ~6% of a decision's CPU).
   */
  async authenticate(token: string): Promise<TokenRecord | null> {
    const epoch = (await this.caughtUp()).tokenEpoch;
    if (epoch !== this.tokenEpoch) {
      this.tokens.clear();
      this.tokenEpoch = epoch;
    }
    const hash = hashToken(token);
    const cached = this.tokens.get(hash);
    if (cached) return cached;
    // Misses are not cached, so random tokens cannot grow the cache.
    const found = await this.store.findToken(hash);
    if (found && this.tokenEpoch === epoch) this.tokens.set(hash, found);
    return found;
  }

  /**
   * The store's stamp, read after the caller arrived (shared by one event-loop turn, as above),
   * with this runtime caught up to it: a policy activated, the keyserver enabled or disabled, or
   * counters cleared elsewhere (another worker, the CLI, another instance) hold from the next
   * request on, not from the next poll. Requests and `/v1/status` go through it.
   */
  async caughtUp(): Promise<ChangeStamp> {
    const stamp = await this.freshStamp();
    if (stamp.policyVersion !== this.stamp.policyVersion || stamp.enabled !== this.stamp.enabled || stamp.quotaEpoch !== this.stamp.quotaEpoch) {
      await (this.catchingUp ??= this.refresh().finally(() => (this.catchingUp = null)));
    }
    return stamp;
  }

  private freshStamp(): Promise<ChangeStamp> {
    // Joined until it starts; one read at a time (a database store answers later).
    this.nextStampRead ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.stampRead?.then(noop, noop))
      .then(() => {
        this.nextStampRead = null;
        const read = this.store.changeStamp();
        this.stampRead = read;
        return read;
      });
    return this.nextStampRead;
  }

  /**
   * Decides, records quota, appends the audit entry and signs; resolves once all are durable.
   * A failure to make it durable is answered 503, logged once per distinct reason per few
   * seconds, and marks the runtime as failing until a decision succeeds again. A denial's audit
   * entry says why (reasons.ts); so does the answer to an admin token, and a client's gets the
   * codes only with `clientReasons` (a reason can tell a client about the policy). `auditExtra`
   * adds fields to the decision entry (custody: the file id of a shard it releases).
   */
  async decide(req: KssRequest, body: Buffer, tokenId: string, role: TokenRecord['role'] = 'client', auditExtra?: AuditExtra): Promise<SignedDecision> {
    try {
      const answer = await this.decideDurably(req, body, tokenId, role, auditExtra);
      if (this.failing !== null) this.log('info', 'decisions succeed again');
      this.failing = null;
      return answer;
    } catch (err) {
      this.failing = (err as Error).message;
      this.metrics.decisionFailed();
      this.limited('error', 'a decision failed', { error: (err as Error).message });
      throw new HttpError(503, UNAVAILABLE);
    }
  }

  private async decideDurably(req: KssRequest, body: Buffer, tokenId: string, role: TokenRecord['role'], auditExtra?: AuditExtra): Promise<SignedDecision> {
    if (!this.program || !this.loaded) throw new Error('no policy loaded');
    // Read before deciding: a poll may load another version while the decision waits on quota.
    const policy = this.loaded;
    const program = this.program;
    const now = Date.now();
    const ctx = { at: instantFromMs(now), zone: this.zone };
    const decision = await program.decideAsync(req, ctx, this.quota);
    const reasons = decision.approved ? null : explainDenial(program, req, ctx);
    const shadow = this.shadow.compare(req, ctx, decision);
    const decisionId = randomUUID();
    const requestSha256 = sha256Hex(body);
    const decidedAt = isoFromMs(now);
    const nonce = (req as { nonce?: string }).nonce ?? null;
    // Group commit (runtime/audit/batch.ts): resolves once the entry is committed.
    const data = decisionEntryData(req, decision, { decisionId, requestSha256, tokenId, policyVersion: policy.version, policySha256: policy.sha256 });
    if (reasons) data.reasons = reasons;
    if (shadow) data.shadow = shadow;
    if (auditExtra) Object.assign(data, auditExtra(decision));
    await this.audits.add({ at: decidedAt, kind: 'decision', actor: `api:${tokenId}`, data, dataJson: decisionEntryJson(data) });
    const fields = {
      keyserverId: this.identity.id, decisionId, requestSha256, decidedAt, policyVersion: policy.version, policySha256: policy.sha256, nonce,
      approved: decision.approved, ruleSet: decision.rule_set, ruleIds: decision.rule_ids,
    };
    const { signature, batch } = await this.signer.sign(decisionText(fields));
    const answer: SignedDecision = {
      approved: decision.approved, rule_set: decision.rule_set, rule_ids: decision.rule_ids, decision_id: decisionId, request_sha256: requestSha256,
      decided_at: decidedAt, policy_version: policy.version, policy_sha256: policy.sha256, nonce, signature, batch,
    };
    if (reasons && role === 'admin') answer.reasons = reasons;
    else if (reasons && this.clientReasons) answer.reason_codes = reasonCodes(reasons);
    return answer;
  }

  /** `POST /v1/explain`: the running policy's traced decision, recording nothing. */
  explain(req: KssRequest, at: Instant): ReturnType<typeof simulate> {
    if (!this.program) throw new Error('no policy loaded');
    return simulate(this.program, req, at, this.zone);
  }

  /** Stops polling, waits for the audit entries in flight and stops mirroring the quota counters. */
  async close(): Promise<void> {
    this.stopPolling();
    await this.audits.flush();
    await this.quota.close().catch((error: unknown) => this.log('warn', 'cannot drop the mirrored quota counters', { error: (error as Error).message }));
  }
}
