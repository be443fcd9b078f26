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
  private readonly decisions = new Counter({ name: 'kss_decisions_total', help: 'Decisions answered, by request type and result.', labelNames: ['request_type', 'result'], registers: [this.registry] });
  private readonly duration = new Histogram({
    name: 'kss_decision_duration_seconds', help: 'Time from request received to decision answered.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers: [this.registry],
  });
  private readonly http = new Counter({ name: 'kss_http_responses_total', help: 'HTTP responses by route and status.', labelNames: ['route', 'status'], registers: [this.registry] });
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
    this.decisions.inc({ request_type: requestType, result: approved ? 'approved' : 'denied' });
    this.duration.observe(seconds);
  }

  decisionFailed(): void {
    this.failures.inc();
  }

  response(route: string, status: number): void {
    this.http.inc({ route, status: String(status) });
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
