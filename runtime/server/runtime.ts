/**
 * The running keyserver's state: identity, the loaded decision program, the enabled flag, a token
 * cache and its quota (runtime/quota/server-quota.ts), kept in step with the store by polling its
 * change stamp (every 250 ms by default, so CLI changes made in another process are live within a
 * second).
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { loadProgram, type DecisionProgram } from '../evaluator/index.js';
import type { Decision, KssRequest } from '../evaluator/types.js';
import { privateKeyObject } from '../identity/keys.js';
import { sha256Hex, signDecision } from '../identity/sign.js';
import { hashToken } from '../admin/tokens.js';
import { AuditBatcher } from '../audit/batch.js';
import { ServerQuota } from '../quota/server-quota.js';
import type { ChangeStamp, KeyserverIdentity, KssStore, TokenRecord } from '../store/types.js';
import { instantFromMs, type Zone } from '../time/index.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface SignedDecision extends Decision {
  decision_id: string;
  request_sha256: string;
  signature: string;
}

export class KeyserverRuntime {
  readonly quota: ServerQuota;
  private readonly key: KeyObject;
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

  constructor(
    readonly store: KssStore,
    readonly identity: KeyserverIdentity,
    readonly zone: Zone,
    readonly instanceId: string,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {
    this.key = privateKeyObject(identity);
    this.quota = new ServerQuota(store, instanceId);
    this.audits = new AuditBatcher((inputs) => store.appendAudit(inputs));
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

  async authenticate(token: string): Promise<TokenRecord | null> {
    const hash = hashToken(token);
    const cached = this.tokens.get(hash);
    if (cached) return cached;
    // Misses are not cached, so random tokens cannot grow the cache.
    const found = await this.store.findToken(hash);
    if (found) this.tokens.set(hash, found);
    return found;
  }

  /** Decides, records quota, appends the audit entry and signs; resolves once all are durable. */
  async decide(req: KssRequest, body: Buffer, tokenId: string): Promise<SignedDecision> {
    if (!this.program) throw new Error('no policy loaded');
    const now = Date.now();
    const decision = await this.program.decideAsync(req, { at: instantFromMs(now), zone: this.zone }, this.quota);
    const decisionId = randomUUID();
    const requestSha256 = sha256Hex(body);
    // Group commit (runtime/audit/batch.ts): resolves once the entry is committed.
    await this.audits.add({
      at: new Date(now).toISOString(), kind: 'decision', actor: `api:${tokenId}`,
      data: {
        decision_id: decisionId, request_type: req.request_type, profile_id: req.profile?.profile_id ?? null,
        approved: decision.approved, rule_set: decision.rule_set, rule_ids: decision.rule_ids, request_sha256: requestSha256,
      },
    });
    const signature = signDecision(this.key, {
      keyserverId: this.identity.id, decisionId, requestSha256,
      approved: decision.approved, ruleSet: decision.rule_set, ruleIds: decision.rule_ids,
    });
    return { approved: decision.approved, rule_set: decision.rule_set, rule_ids: decision.rule_ids, decision_id: decisionId, request_sha256: requestSha256, signature };
  }

  /** Stops polling, waits for the audit entries in flight and stops mirroring the quota counters. */
  async close(): Promise<void> {
    this.stopPolling();
    await this.audits.flush();
    await this.quota.close().catch((error: unknown) => this.log('warn', 'cannot drop the mirrored quota counters', { error: (error as Error).message }));
  }
}
