/**
 * Policy test coverage (`kss test --coverage`): which rule sets and rules the test cases reached and
 * which rule sets approved, per request type. The data is plain JSON so that the language server
 * (which may import only the compiler) can read a coverage file written by the CLI; the counting
 * itself happens in `kss test` from the plain interpreter's traces.
 */

export const COVERAGE_FORMAT = 'kss-coverage/1';

/** The file name the language server looks for, in the policy's folder and then each parent folder. */
export const COVERAGE_FILE = 'kss-coverage.json';

export interface RuleCoverage {
  rule_id: string;
  /** Some case evaluated this rule (its rule set got that far). */
  reached: boolean;
}

export interface RuleSetCoverage {
  rule_set: number;
  /** Some case looked at this rule set (no earlier rule set approved it). */
  reached: boolean;
  /** Some case was approved by this rule set. */
  approved: boolean;
  rules: RuleCoverage[];
}

export interface RequestTypeCoverage {
  request_type: string;
  rule_sets: RuleSetCoverage[];
}

export interface PolicyCoverage {
  /** The policy file; in a coverage file, relative to the coverage file's folder. */
  policy: string;
  sha256: string;
  request_types: RequestTypeCoverage[];
  totals: CoverageTotals;
}

export interface CoverageTotals {
  rule_sets: number;
  rule_sets_reached: number;
  rule_sets_approved: number;
  rules: number;
  rules_reached: number;
  /**
   * The headline figure `--coverage-min` compares with: rule sets that approved some case and rules
   * that some case reached, over all rule sets and rules. A rule set no case approves is a part of
   * the policy whose approving meaning is untested, so it counts as a gap like an unreached rule.
   */
  percent: number;
}

export interface CoverageFile {
  format: typeof COVERAGE_FORMAT;
  policies: PolicyCoverage[];
}

/** The totals of a list of request types (rounded down to 0.1 so that "100" means every part). */
export function coverageTotals(types: RequestTypeCoverage[]): CoverageTotals {
  const sets = types.flatMap((t) => t.rule_sets);
  const rules = sets.flatMap((s) => s.rules);
  const t = {
    rule_sets: sets.length,
    rule_sets_reached: sets.filter((s) => s.reached).length,
    rule_sets_approved: sets.filter((s) => s.approved).length,
    rules: rules.length,
    rules_reached: rules.filter((r) => r.reached).length,
  };
  const parts = t.rule_sets + t.rules;
  const covered = t.rule_sets_approved + t.rules_reached;
  return { ...t, percent: parts === 0 ? 100 : Math.floor((1000 * covered) / parts) / 10 };
}

/** A rule set that some test should reach and see approve, and why it is flagged. */
export interface CoverageGap {
  requestType: string;
  ruleSet: number;
  message: string;
}

/** The rule sets of one policy that no case reached or that approved no case. */
export function coverageGaps(p: PolicyCoverage): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  for (const t of p.request_types) {
    for (const s of t.rule_sets) {
      const unreached = s.rules.filter((r) => !r.reached).length;
      if (!s.reached) gaps.push({ requestType: t.request_type, ruleSet: s.rule_set, message: `no test case reaches rule set ${s.rule_set} of \`${t.request_type}\`` });
      else if (!s.approved) {
        const detail = unreached > 0 ? ` (${unreached} of its ${s.rules.length} rules never reached)` : '';
        gaps.push({ requestType: t.request_type, ruleSet: s.rule_set, message: `no test case is approved by rule set ${s.rule_set} of \`${t.request_type}\`${detail}` });
      }
    }
  }
  return gaps;
}

/** Reads a coverage file's JSON text; null when it is not one (the editor then shows nothing). */
export function readCoverageFile(text: string): CoverageFile | null {
  try {
    const value = JSON.parse(text) as Partial<CoverageFile>;
    if (value?.format !== COVERAGE_FORMAT || !Array.isArray(value.policies)) return null;
    const ok = value.policies.every((p) => typeof p?.policy === 'string' && Array.isArray(p.request_types)
      && p.request_types.every((t) => typeof t?.request_type === 'string' && Array.isArray(t.rule_sets)
        && t.rule_sets.every((s) => typeof s?.rule_set === 'number' && Array.isArray(s.rules))));
    return ok ? (value as CoverageFile) : null;
  } catch {
    return null;
  }
}
