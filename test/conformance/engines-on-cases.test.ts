/**
 * Beyond the reference's own steps: on every conformance policy, shuffled requests built from the
 * case's profiles and metas at random moments get the same decisions and quota uses from both engines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../compiler/compile.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';
import { caseZone, loadAllConformanceCases } from '../support/shared.js';

const cases = loadAllConformanceCases();

describe('both engines on the conformance policies with generated requests', () => {
  it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const { artifact } = compilePolicy(c.policy_yaml, c.file);
    expect(artifact).not.toBeNull();
    const reqs = c.steps.map((s) => s.request);
    const profiles = reqs.map((r) => r.profile);
    const metas = reqs.flatMap((r) => (Array.isArray(r.auth_meta) ? r.auth_meta : []));
    const types = [...new Set(reqs.map((r) => r.request_type)), ...Object.keys(c.rule_ids)];
    const start = context(c.steps[0]!.at, caseZone(c)).at / 1000;
    const request = fc.record({
      request_type: fc.constantFrom(...types),
      profile: fc.constantFrom(...profiles),
      auth_meta: metas.length > 0 ? fc.array(fc.constantFrom(...metas), { maxLength: 3 }) : fc.constant([]),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(request, fc.integer({ min: 0, max: 7 * 24 * 60 })), { maxLength: 40 }), (steps) => {
        const engines = (['plain', 'optimized'] as const).map((engine) => ({ program: loadProgram(artifact!, { engine }), quota: new MemoryQuota() }));
        let now = start;
        for (const [req, minutes] of steps) {
          now += minutes * 6_000; // up to ~17 hours between requests
          const [p, o] = engines.map(({ program, quota }) => program.decide(req as KssRequest, context(now, caseZone(c)), quota));
          expect(o).toEqual(p);
        }
        expect(engines[1]!.quota.list()).toEqual(engines[0]!.quota.list());
      }),
      { numRuns: 40 },
    );
  });
});
