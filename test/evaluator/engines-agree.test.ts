/**
 * One meaning, two engines: on random policies and random request sequences the optimised program
 * gives the same decisions as the plain interpreter and records the same quota uses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildArtifact } from '../../compiler/emit/artifact.js';
import { optimize } from '../../compiler/optimize/plan.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { QuotaWindow, ThrottleUse } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';
import { arrival, policyIR, request } from './arbitraries.js';

class RecordingQuota extends MemoryQuota {
  readonly log: string[] = [];
  override tryConsume(uses: ThrottleUse[], window: QuotaWindow): boolean {
    const ok = super.tryConsume(uses, window);
    if (ok) this.log.push(JSON.stringify({ uses, window }));
    return ok;
  }
}

describe('optimised program vs plain interpreter', () => {
  it('same decisions and same recorded uses', () => {
    fc.assert(
      fc.property(policyIR, fc.array(fc.tuple(request, arrival), { maxLength: 30 }), fc.constantFrom('UTC', '+04:00', '-05:00', 'Europe/Berlin'), (ir, steps, tz) => {
        const artifact = buildArtifact('generated', 'generated.yml', ir, optimize(ir));
        // The optimised program as loaded, and with every meta-rule reading the path index.
        const engines = [{ engine: 'plain' as const }, { engine: 'optimized' as const }, { engine: 'optimized' as const, pathIndex: 'always' as const }]
          .map((opts) => ({ program: loadProgram(artifact, opts), quota: new RecordingQuota() }));
        steps.sort((a, b) => a[1] - b[1]);
        for (const [req, now] of steps) {
          const [p, o, i] = engines.map(({ program, quota }) => program.decide(req, context(now, tz), quota));
          expect(o).toEqual(p);
          expect(i).toEqual(p);
        }
        expect(engines[1]!.quota.log).toEqual(engines[0]!.quota.log);
        expect(engines[2]!.quota.log).toEqual(engines[0]!.quota.log);
      }),
      { numRuns: 400 },
    );
  });

  it('decideAsync decides like decide', async () => {
    await fc.assert(
      fc.asyncProperty(policyIR, fc.array(fc.tuple(request, arrival), { maxLength: 20 }), async (ir, steps) => {
        const artifact = buildArtifact('generated', 'generated.yml', ir, optimize(ir));
        const program = loadProgram(artifact);
        const sync = new MemoryQuota();
        const async = new MemoryQuota();
        for (const [req, now] of steps) {
          const a = program.decide(req, context(now), sync);
          const b = await program.decideAsync(req, context(now), { tryConsume: async (u, w) => async.tryConsume(u, w) });
          expect(b).toEqual(a);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a policy that approves on the first rule set stops there (optimiser keeps nothing after it)', () => {
    const ir = { requestTypes: [{ type: 'decrypt' as const, ruleSets: [
      { index: 0, rules: [{ kind: 'approve-rule' as const, ruleId: 'a', explicitId: false }] },
      { index: 1, rules: [{ kind: 'approve-rule' as const, ruleId: 'b', explicitId: false }] },
    ] }] };
    const plan = optimize(ir);
    expect(plan.types[0]!.ruleSets.map((s) => s.ruleSet)).toEqual([0]);
  });
});
