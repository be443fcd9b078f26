/**
 * Runs one conformance case (SPEC §7) through the compiler and one engine, in the case's zone (or
 * the reference's kept offset, SPEC 4.6); returns the mismatches.
 */
import { compilePolicy } from '../../compiler/compile.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { EngineName } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';
import { caseZone, type ConformanceCase } from '../support/shared.js';

export interface CaseOutcome {
  compileErrors: string[];
  ruleIds: Record<string, string[][]> | null;
  /** One line per step whose decision differs from the reference's. */
  mismatches: string[];
}

export function runCase(c: ConformanceCase, engine: EngineName, tz = caseZone(c)): CaseOutcome {
  const { artifact, diagnostics } = compilePolicy(c.policy_yaml, c.file);
  const compileErrors = diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.range.start.line}:${d.range.start.column} ${d.message}`);
  if (!artifact) return { compileErrors, ruleIds: null, mismatches: [] };
  const program = loadProgram(artifact, { engine });
  const quota = new MemoryQuota();
  const mismatches: string[] = [];
  c.steps.forEach((step, i) => {
    const d = program.decide(step.request as KssRequest, context(step.at, tz), quota);
    if (d.approved !== step.expect.approved || d.rule_set !== step.expect.rule_set) {
      mismatches.push(`step ${i} at ${step.at} ${JSON.stringify(step.request)}: got ${JSON.stringify({ approved: d.approved, rule_set: d.rule_set })}, reference ${JSON.stringify(step.expect)}`);
    }
  });
  return { compileErrors, ruleIds: artifact.ruleIds, mismatches };
}
