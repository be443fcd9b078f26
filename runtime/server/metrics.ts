/** Prometheus text exposition (format 0.0.4) for the few series the server keeps. */

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export class Metrics {
  private readonly decisions = new Map<string, number>();
  private readonly http = new Map<string, number>();
  private readonly hist = new Array<number>(BUCKETS.length + 1).fill(0);
  private histSum = 0;
  private histCount = 0;
  /** Pattern matches that could not be decided (runtime/evaluator/matcher), by reason. */
  private readonly undecided = new Map<string, number>([['step-budget', 0], ['too-large', 0]]);
  enabled = false;
  policyVersion = 0;

  decision(requestType: string, approved: boolean, seconds: number): void {
    const k = `request_type="${requestType}",result="${approved ? 'approved' : 'denied'}"`;
    this.decisions.set(k, (this.decisions.get(k) ?? 0) + 1);
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
    this.hist[i]!++;
    this.histSum += seconds;
    this.histCount++;
  }

  response(route: string, status: number): void {
    const k = `route="${route}",status="${status}"`;
    this.http.set(k, (this.http.get(k) ?? 0) + 1);
  }

  matchUndecided(reason: string): void {
    this.undecided.set(reason, (this.undecided.get(reason) ?? 0) + 1);
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP kss_decisions_total Decisions answered, by request type and result.', '# TYPE kss_decisions_total counter');
    for (const [k, v] of this.decisions) out.push(`kss_decisions_total{${k}} ${v}`);
    out.push('# HELP kss_decision_duration_seconds Time from request received to decision answered.', '# TYPE kss_decision_duration_seconds histogram');
    let cum = 0;
    BUCKETS.forEach((b, i) => {
      cum += this.hist[i]!;
      out.push(`kss_decision_duration_seconds_bucket{le="${b}"} ${cum}`);
    });
    out.push(`kss_decision_duration_seconds_bucket{le="+Inf"} ${this.histCount}`);
    out.push(`kss_decision_duration_seconds_sum ${this.histSum}`, `kss_decision_duration_seconds_count ${this.histCount}`);
    out.push('# HELP kss_http_responses_total HTTP responses by route and status.', '# TYPE kss_http_responses_total counter');
    for (const [k, v] of this.http) out.push(`kss_http_responses_total{${k}} ${v}`);
    out.push('# HELP kss_match_undecided_total Pattern matches that exceeded their step budget (or could not run): the rule did not approve.', '# TYPE kss_match_undecided_total counter');
    for (const [reason, v] of this.undecided) out.push(`kss_match_undecided_total{reason="${reason}"} ${v}`);
    out.push('# HELP kss_enabled 1 while the keyserver answers requests.', '# TYPE kss_enabled gauge', `kss_enabled ${this.enabled ? 1 : 0}`);
    out.push('# HELP kss_policy_version Active policy version.', '# TYPE kss_policy_version gauge', `kss_policy_version ${this.policyVersion}`);
    return out.join('\n') + '\n';
  }
}
