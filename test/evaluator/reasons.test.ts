/**
 * Denial reasons (runtime/evaluator/reasons.ts) on random policies and request sequences: the
 * re-run that finds them leaves the counters alone, and every denial names, for each rule set of
 * its type, the rule that stopped it, with a code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildArtifact } from '../../compiler/emit/artifact.js';
import { optimize } from '../../compiler/optimize/plan.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import { DENIAL_CODES, explainDenial } from '../../runtime/evaluator/reasons.js';
import { context } from '../support/time.js';
import { arrival, policyIR, request } from './arbitraries.js';

describe('denial reasons', () => {
  it('one reason per rule set of a denied request, each the first rule that did not approve, and no quota touched', () => {
    fc.assert(
      fc.property(policyIR, fc.array(fc.tuple(request, arrival), { maxLength: 25 }), (ir, steps) => {
        const program = loadProgram(buildArtifact('generated', 'generated.yml', ir, optimize(ir)));
        const quota = new MemoryQuota();
        steps.sort((a, b) => a[1] - b[1]);
        for (const [req, now] of steps) {
          const ctx = context(now, 'UTC');
          const d = program.decide(req, ctx, quota);
          const before = JSON.stringify(quota.list());
          const reasons = explainDenial(program, req, ctx);
          expect(JSON.stringify(quota.list())).toBe(before);
          // Only a denial is explained (an approval's re-run, refused all quota, says nothing true).
          if (d.approved) continue;
          const sets = ir.requestTypes.find((t) => t.type === req.request_type)?.ruleSets ?? [];
          if (sets.length === 0) {
            expect(reasons.map((r) => r.code)).toEqual(['no-rule-set']);
            continue;
          }
          // A denial looked at every rule set, and each stopped at a rule of its own.
          expect(reasons.map((r) => r.rule_set)).toEqual(sets.map((s) => s.index));
          for (const r of reasons) {
            expect(Object.keys(DENIAL_CODES)).toContain(r.code);
            expect(sets[r.rule_set!]!.rules.map((x) => x.ruleId)).toContain(r.rule_id);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
