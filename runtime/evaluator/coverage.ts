/**
 * Counting coverage from decision traces (`kss test --coverage`): a rule set is reached when the
 * trace looked at it, a rule when the trace evaluated it, and a rule set approved when a decision
 * named it. The traces are the plain interpreter's, the same ones `kss explain` prints.
 */
import { coverageTotals } from '../../compiler/coverage.js';
import type { PolicyCoverage, RequestTypeCoverage } from '../../compiler/coverage.js';
import type { Decision } from './types.js';

export class CoverageCollector {
  private readonly types: RequestTypeCoverage[];

  /** `ruleIds` is the artifact's: per request type, per rule set, the rule ids in order. */
  constructor(
    readonly policy: string,
    readonly sha256: string,
    ruleIds: Record<string, string[][]>,
  ) {
    this.types = Object.entries(ruleIds).map(([request_type, sets]) => ({
      request_type,
      rule_sets: sets.map((ids, rule_set) => ({ rule_set, reached: false, approved: false, rules: ids.map((rule_id) => ({ rule_id, reached: false })) })),
    }));
  }

  /** Records one traced decision of a request of `requestType`. */
  add(requestType: unknown, d: Decision): void {
    const type = this.types.find((t) => t.request_type === requestType);
    if (!type) return;
    for (const traced of d.trace ?? []) {
      const set = type.rule_sets[traced.ruleSet];
      if (!set) continue;
      set.reached = true;
      for (const r of traced.rules) {
        const rule = set.rules.find((x) => x.rule_id === r.ruleId);
        if (rule) rule.reached = true;
      }
    }
    if (d.approved && d.rule_set !== null) {
      const set = type.rule_sets[d.rule_set];
      if (set) set.approved = true;
    }
  }

  result(): PolicyCoverage {
    return { policy: this.policy, sha256: this.sha256, request_types: this.types, totals: coverageTotals(this.types) };
  }
}
