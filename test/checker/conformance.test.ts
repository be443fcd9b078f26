/**
 * Every conformance policy checks with no error, and the lints about rule sets are sound against the
 * reference: no rule set called unreachable or never-approving ever approved a conformance request.
 */
import { describe, expect, it } from 'vitest';
import { analyzePolicy } from '../../compiler/analyze.js';
import { loadConformanceCases } from '../support/shared.js';

const cases = loadConformanceCases();

describe('conformance policies', () => {
  it('there are cases to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s checks with no error', (_name, c) => {
    const errors = analyzePolicy(c.policy_yaml, `${c.name}.yml`).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
  });

  it('no rule set the lints call dead ever approved a request', () => {
    let claims = 0;
    for (const c of cases) {
      const dead = new Set(
        analyzePolicy(c.policy_yaml, `${c.name}.yml`).diagnostics
          .filter((d) => d.code === 'KSS3001' || d.code === 'KSS3002')
          .map((d) => `${String(d.data?.requestType)}#${String(d.data?.ruleSet)}`),
      );
      claims += dead.size;
      for (const step of c.steps) {
        if (step.expect.rule_set === null) continue;
        expect(dead.has(`${String(step.request.request_type)}#${step.expect.rule_set}`), `${c.name}: ${String(step.request.request_type)} rule set ${step.expect.rule_set}`).toBe(false);
      }
    }
    // The corpus does exercise the lints, so the assertion above is not vacuous.
    expect(claims).toBeGreaterThan(10);
  });
});
