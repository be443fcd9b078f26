/**
 * The server's Prometheus series (prom-client), in a registry of its own per server (tests run
 * several in one process), with prom-client's default process metrics: CPU, memory, event loop
 * lag, GC.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  enabled = false;
  policyVersion = 0;
  /** Set in a worker of `kss serve --workers N`: every worker's series, from the primary (cluster-metrics.ts). */
  gather: (() => Promise<string>) | null = null;
  /**
   * The two per-request counters are counted here and added to prom-client's when they are read
   * (its `collect`, before every exposition and `getMetricsAsJSON`): prom-client hashes the label
   * object on every `inc` (issue 15: ~0.5 µs each, two per decision on this host).
   */
  private readonly decisionCounts = new Pending();
  private readonly responseCounts = new Pending();
  private readonly decisions = pendingCounter(this.decisionCounts, { name: 'kss_decisions_total', help: 'Decisions answered, by request type and result.', labelNames: ['request_type', 'result'], registers: [this.registry] });
  private readonly duration = new Histogram({
    name: 'kss_decision_duration_seconds', help: 'Time from request received to decision answered.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers: [this.registry],
  });
  private readonly http = pendingCounter(this.responseCounts, { name: 'kss_http_responses_total', help: 'HTTP responses by route and status.', labelNames: ['route', 'status'], registers: [this.registry] });
  private readonly undecided = new Counter({
    name: 'kss_match_undecided_total', help: 'Pattern matches that exceeded their step budget (or could not run): the rule did not approve.',
    labelNames: ['reason'], registers: [this.registry],
  });
  /** Decisions a shadow policy (runtime/server/shadow.ts) also took, by whether it agreed. */
  private readonly shadowed = new Counter({ name: 'kss_shadow_decisions_total', help: 'Decisions a shadow policy also took, by whether it agreed with the active policy.', labelNames: ['result'], registers: [this.registry] });
  private readonly failures = new Counter({ name: 'kss_decision_failures_total', help: 'Decisions that could not be answered (the store refused the audit entry or the quota count).', registers: [this.registry] });

  constructor() {
    const self = this;
    new Gauge({ name: 'kss_enabled', help: '1 while the keyserver answers requests.', registers: [this.registry], collect() { this.set(self.enabled ? 1 : 0); } });
    new Gauge({ name: 'kss_policy_version', help: 'Active policy version.', registers: [this.registry], collect() { this.set(self.policyVersion); } });
    for (const reason of ['step-budget', 'too-large']) this.undecided.inc({ reason }, 0);
    for (const result of ['agree', 'disagree']) this.shadowed.inc({ result }, 0);
    collectDefaultMetrics({ register: this.registry });
  }

  decision(requestType: string, approved: boolean, seconds: number): void {
    this.decisionCounts.add(requestType, approved ? 'approved' : 'denied');
    this.duration.observe(seconds);
  }

  decisionFailed(): void {
    this.failures.inc();
  }

  response(route: string, status: number): void {
    this.responseCounts.add(route, status);
  }

  matchUndecided(reason: string): void {
    this.undecided.inc({ reason });
  }

  shadow(agree: boolean): void {
    this.shadowed.inc({ result: agree ? 'agree' : 'disagree' });
  }

  render(): Promise<string> {
    return this.gather ? this.gather() : this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Counts by two label values, since they were last added to their prom-client counter. */
class Pending {
  private readonly counts = new Map<string, Map<string | number, number>>();

  add(first: string, second: string | number): void {
    let inner = this.counts.get(first);
    if (!inner) this.counts.set(first, (inner = new Map()));
    inner.set(second, (inner.get(second) ?? 0) + 1);
  }

  /** Each count with its two label values, and forgets them. */
  drain(each: (first: string, second: string, n: number) => void): void {
    for (const [first, inner] of this.counts) for (const [second, n] of inner) each(first, String(second), n);
    this.counts.clear();
  }
}

/** A counter of two labels whose counts wait in `pending` until it is read. */
function pendingCounter<L extends string>(pending: Pending, config: { name: string; help: string; labelNames: [L, L]; registers: Registry[] }): Counter<L> {
  const [a, b] = config.labelNames;
  return new Counter<L>({
    ...config,
    collect() {
      pending.drain((first, second, n) => this.inc({ [a]: first, [b]: second } as Record<L, string>, n));
    },
  });
}
