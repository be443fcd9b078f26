/**
 * The shadow policy of a running server (runtime/admin/shadow.ts says where it lives): watched
 * from the audit log at each poll, reading only the entries appended since the last one, and
 * decided beside the active policy on every request. The shadow keeps counters of its own in
 * memory (empty when it starts), so its throttles count what it would have approved and the real
 * counters are never touched.
 */
import { SHADOW_KIND, shadowAfter, type ShadowStart } from '../admin/shadow.js';
import { loadProgram, MemoryQuota, type DecisionProgram } from '../evaluator/index.js';
import type { Decision, EvalContext, KssRequest } from '../evaluator/types.js';
import type { AuditEntry, KssStore } from '../store/types.js';
import { auditOfKind } from '../admin/versions.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';

export interface ShadowVerdict {
  sha256: string;
  approved: boolean;
  rule_set: number | null;
}

export class ShadowRunner {
  private cursor = 0;
  private entry: AuditEntry | null = null;
  private program: DecisionProgram | null = null;
  private quota = new MemoryQuota();

  constructor(
    private readonly store: KssStore,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  get running(): { sha256: string; since: string } | null {
    return this.entry && { sha256: (this.entry.data as unknown as ShadowStart).sha256, since: this.entry.at };
  }

  /** Reads the shadow entries appended since the last poll. */
  async poll(): Promise<void> {
    const last = await this.store.lastAudit();
    if (!last || last.seq === this.cursor) return;
    const entries = await auditOfKind(this.store, SHADOW_KIND, this.cursor);
    this.cursor = Math.max(last.seq, entries.at(-1)?.seq ?? 0);
    const next = shadowAfter(entries, this.entry);
    if (next === this.entry) return;
    this.entry = next;
    this.quota = new MemoryQuota();
    this.program = null;
    if (!next) {
      this.log('info', 'shadow policy ended');
      return;
    }
    const start = next.data as unknown as ShadowStart;
    try {
      this.program = loadProgram(JSON.parse(start.artifact_json));
      this.log('info', 'shadow policy running', { sha256: start.sha256 });
    } catch (error) {
      // Written by another kss version, say: the active policy goes on alone.
      this.log('warn', 'the shadow policy cannot be loaded; no shadow runs', { sha256: start.sha256, error: (error as Error).message });
    }
  }

  /** The shadow's decision when it differs from the active one's (null: agreement, or no shadow). */
  compare(req: KssRequest, ctx: EvalContext, active: Decision): ShadowVerdict | null {
    if (!this.program) return null;
    const d = this.program.decide(req, ctx, this.quota);
    const agree = d.approved === active.approved && d.rule_set === active.rule_set;
    this.metrics.shadow(agree);
    return agree ? null : { sha256: this.program.sha256, approved: d.approved, rule_set: d.rule_set };
  }
}
