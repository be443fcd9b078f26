/**
 * The running keyserver's state: identity, the loaded decision program, the enabled flag and a
 * token cache, kept in step with the store by polling its change stamp (every 250 ms by default,
 * so CLI changes made in another process are live within a second).
 */
import { randomUUID, type KeyObject } from 'node:crypto';
import { loadProgram, type DecisionProgram } from '../evaluator/index.js';
import type { Decision, KssRequest } from '../evaluator/types.js';
import { privateKeyObject } from '../identity/keys.js';
import { sha256Hex, signDecision } from '../identity/sign.js';
import { hashToken } from '../admin/tokens.js';
import { clearedFilter, QUOTA_CLEAR } from '../admin/quota.js';
import { HybridQuota, MemoryCounts } from '../store/quota.js';
import type { AuditInput, ChangeStamp, KeyserverIdentity, KssStore, TokenRecord } from '../store/types.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface SignedDecision extends Decision {
  decision_id: string;
  request_sha256: string;
  signature: string;
}

export class KeyserverRuntime {
  readonly memory = new MemoryCounts();
  readonly quota: HybridQuota;
  private readonly key: KeyObject;
  private program: DecisionProgram | null = null;
  /** The policy version this process is running (may trail the store by one poll). */
  loaded: { version: number; sha256: string; loaded_at: string } | null = null;
  private stamp: ChangeStamp = { policyVersion: -1, enabled: false, quotaEpoch: -1, tokenEpoch: -1 };
  private tokens = new Map<string, TokenRecord>();
  private pollTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private storeDown = false;
  private pending: Promise<void> = Promise.resolve();
  /** Quota epochs this process caused itself (API clears), which must not wipe memory counts. */
  private ownQuotaEpochs = 0;
  /** Audit seq up to which other processes' `quota.clear` entries have been applied to `memory`. */
  private clearSeq: number | null = null;
  /** Audit seqs of this process's own clears (already applied to `memory`). */
  private readonly ownClearSeqs = new Set<number>();
  /** Clears seen in the epoch whose audit entries have not been read yet, and how many polls ago. */
  private unappliedClears = 0;
  private clearWaits = 0;
  private auditQueue: Array<{ input: AuditInput; done: (err?: unknown) => void }> = [];
  private auditScheduled = false;

  constructor(
    readonly store: KssStore,
    readonly identity: KeyserverIdentity,
    readonly tz: string,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {
    this.key = privateKeyObject(identity);
    this.quota = new HybridQuota(store, this.memory);
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
      this.clearSeq ??= (await this.store.lastAudit())?.seq ?? 0;
      const s = await this.store.changeStamp();
      if (s.policyVersion !== this.stamp.policyVersion) {
        const p = await this.store.activePolicy();
        if (p) {
          const program = loadProgram(JSON.parse(p.artifactJson));
          this.program = program;
          this.loaded = { version: p.version, sha256: p.sha256, loaded_at: p.loadedAt };
          this.memory.retain(program.ruleIds);
          this.log('info', 'policy loaded', { version: p.version, sha256: p.sha256 });
        }
      }
      if (s.enabled !== this.stamp.enabled) this.log('info', s.enabled ? 'keyserver enabled' : 'keyserver disabled');
      if (this.stamp.quotaEpoch >= 0 && s.quotaEpoch !== this.stamp.quotaEpoch) {
        const foreign = s.quotaEpoch - this.stamp.quotaEpoch - this.ownQuotaEpochs;
        // Another process cleared counters. A policy activation bumps the epoch too, but `retain`
        // above already did what it means.
        if (foreign > 0 && s.policyVersion === this.stamp.policyVersion) this.unappliedClears += foreign;
      }
      this.ownQuotaEpochs = 0;
      if (this.unappliedClears > 0) await this.applyForeignClears();
      if (s.tokenEpoch !== this.stamp.tokenEpoch) this.tokens.clear();
      this.stamp = s;
      this.metrics.enabled = s.enabled;
      this.metrics.policyVersion = s.policyVersion;
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

  /** Marks the next quota epoch bump as this process's own (its memory part is already cleared). */
  noteOwnQuotaClear(): void {
    this.ownQuotaEpochs++;
  }

  /** The audit entry of this process's own clear, which `applyForeignClears` must skip. */
  noteOwnQuotaClearAudit(seq: number): void {
    if (this.clearSeq === null || seq > this.clearSeq) this.ownClearSeqs.add(seq);
  }

  /**
   * Clears in this process's memory exactly what other processes cleared (a CLI `quota clear
   * --profile`, another cluster instance's API): each clear's audit entry says which counters. The
   * epoch moves just before the entry is written, so an entry may show up a poll later; if it has
   * not after ~2 s, clearing every in-memory counter is the safe side (never keep cleared counts).
   */
  private async applyForeignClears(): Promise<void> {
    for (const entry of await this.store.readAudit(this.clearSeq ?? 0, 1000, QUOTA_CLEAR)) {
      this.clearSeq = entry.seq;
      if (this.ownClearSeqs.delete(entry.seq)) continue;
      this.memory.clear(clearedFilter(entry.data));
      this.unappliedClears--;
    }
    if (this.unappliedClears > 0 && ++this.clearWaits > 8) {
      this.log('warn', 'quota clears without audit entries: clearing every in-memory counter');
      this.memory.clear();
      this.unappliedClears = 0;
    }
    if (this.unappliedClears <= 0) {
      this.unappliedClears = 0;
      this.clearWaits = 0;
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
    const decision = await this.program.decideAsync(req, { now, tz: this.tz }, this.quota);
    const decisionId = randomUUID();
    const requestSha256 = sha256Hex(body);
    await this.audit({
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

  /**
   * Group commit: entries queued in the same tick go into one appendAudit transaction, and each
   * caller resumes only after that commit.
   */
  audit(input: AuditInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.auditQueue.push({ input, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.auditScheduled) {
        this.auditScheduled = true;
        setImmediate(() => void this.flushAudit());
      }
    });
  }

  async flushAudit(): Promise<void> {
    this.auditScheduled = false;
    const batch = this.auditQueue;
    this.auditQueue = [];
    if (batch.length === 0) return;
    try {
      await this.store.appendAudit(batch.map((b) => b.input));
      for (const b of batch) b.done();
    } catch (err) {
      for (const b of batch) b.done(err);
    }
  }
}
