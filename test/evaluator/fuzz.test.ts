/**
 * Fuzz (issue 10, "Done means"): whatever a request holds, both engines decide it without throwing,
 * give a well-formed decision, and agree. The server validates requests before deciding (SPEC 6), but
 * the evaluator is also reached by `kss eval`, `kss test` and artifacts of other tools: it must not
 * depend on that validation to stay up.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildArtifact } from '../../compiler/emit/artifact.js';
import { optimize } from '../../compiler/optimize/plan.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';
import { arrival, policyIR, request } from './arbitraries.js';

const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '/', '//', '../..', 'a\u0000b', '\ud800', 'x\n', 'İ', 'ſ', 'x'.repeat(5000)),
);
const anyValue = fc.oneof(hostileString, fc.anything({ maxDepth: 2 }), fc.constantFrom(null, undefined, NaN, -1, 1e400, [], {}));

/** A valid request with one of its parts replaced, removed or made hostile, or no request shape at all. */
const hostileRequest: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(request, fc.constantFrom('request_type', 'profile', 'auth_meta'), anyValue).map(([r, key, v]) => ({ ...r, [key]: v })),
  fc.tuple(request, fc.constantFrom('request_type', 'profile', 'auth_meta')).map(([r, key]) => {
    const copy: Record<string, unknown> = { ...r };
    delete copy[key];
    return copy;
  }),
  fc.tuple(request, fc.array(fc.record({ meta: anyValue, complete: anyValue }), { maxLength: 3 })).map(([r, metas]) => ({ ...r, auth_meta: metas })),
  fc.tuple(request, anyValue, anyValue).map(([r, id, words]) => ({ ...r, profile: { profile_id: id, profile_words: words } })),
  fc.object({ maxDepth: 2 }),
);

describe('evaluator fuzz', () => {
  it('never throws on hostile requests; both engines give the same well-formed decision (property)', () => {
    fc.assert(
      fc.property(policyIR, fc.array(fc.tuple(hostileRequest, arrival), { minLength: 1, maxLength: 10 }), (ir, steps) => {
        const artifact = buildArtifact('generated', 'generated.yml', ir, optimize(ir));
        const engines = (['plain', 'optimized'] as const).map((engine) => ({ program: loadProgram(artifact, { engine }), quota: new MemoryQuota() }));
        for (const [req, now] of steps) {
          const [plain, optimized] = engines.map(({ program, quota }) => program.decide(req as KssRequest, context(now, 'UTC'), quota));
          expect(optimized).toEqual(plain);
          expect(typeof plain!.approved).toBe('boolean');
          expect(Array.isArray(plain!.rule_ids)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
