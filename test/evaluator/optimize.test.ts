/** The optimiser's plan: dropped rule sets, early stop, shared predicates, the profile index. */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../compiler/compile.js';
import type { ProgramPlan } from '../../compiler/optimize/plan.js';
// @ts-expect-error: a plain .mjs workload generator without types
import { policyText } from '../../bench/workloads/per-profile.mjs';

function plan(yaml: string): ProgramPlan {
  const { artifact, diagnostics } = compilePolicy(yaml, 'test.yml');
  if (!artifact) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return artifact.plan;
}

describe('optimiser', () => {
  it('drops rule sets that can never approve and keeps nothing after one that always approves', () => {
    const p = plan(`decrypt:
- - rule: reject-rule
- - rule: meta-rule
    paths: [/a]
- - rule: approve-rule
  - rule: session-params-rule
- - rule: meta-rule
    paths: [/b]
`);
    expect(p.types[0]!.ruleSets.map((s) => s.ruleSet)).toEqual([1, 2]);
    expect(p.types[0]!.ruleSets[1]!.predicates).toEqual([]);
  });

  it('shares one predicate between rule sets with the same rule, and puts stateless checks first', () => {
    const p = plan(`decrypt:
- - rule: per-profile-throttle-rule
    per_day: 3
  - rule: meta-rule
    paths: [/shared]
- - rule: meta-rule
    paths: [/shared]
  - rule: time-range-rule
    days: [0, 1, 2, 3, 4]
`);
    const [a, b] = p.types[0]!.ruleSets;
    const metaId = p.predicates.findIndex((q) => q.kind === 'meta');
    expect(a!.predicates).toContain(metaId);
    expect(b!.predicates).toContain(metaId);
    expect(p.predicates.filter((q) => q.kind === 'meta')).toHaveLength(1);
    expect(a!.throttles).toHaveLength(1);
    expect(b!.predicates.map((i) => p.predicates[i]!.kind)).toEqual(['time', 'meta']);
  });

  it('indexes per-profile rule sets by profile id, so a decision looks at a constant number of them', () => {
    const n = 2000;
    const p = plan(policyText(n));
    const t = p.types[0]!;
    expect(t.ruleSets).toHaveLength(n + 1);
    expect(Object.keys(t.byHex)).toHaveLength(n);
    expect(Object.values(t.byHex).every((positions) => positions.length === 1)).toBe(true);
    expect(t.open).toEqual([n]);
    // Found through the index, a rule set skips its hex guard: only the meta predicate is left.
    expect(t.ruleSets[0]!.afterHexGuard.map((i) => p.predicates[i]!.kind)).toEqual(['has-profile', 'meta']);
  });
});

describe('loading artifacts', () => {
  it('refuses a wrong format, version or a broken pattern with a message, not a crash in a decision', async () => {
    const { compilePolicy } = await import('../../compiler/compile.js');
    const { loadProgram, ArtifactError } = await import('../../runtime/evaluator/index.js');
    const { artifact } = compilePolicy("decrypt:\n- - rule: meta-rule\n    regexes: ['a+']\n", 'p.yml');
    expect(() => loadProgram({ ...artifact!, version: 2 } as never)).toThrow(/unsupported artifact version 2/);
    expect(() => loadProgram({ format: 'other' } as never)).toThrow(ArtifactError);
    const broken = JSON.parse(JSON.stringify(artifact).replaceAll('"jsSource":"[Aa]+"', '"jsSource":"(("'));
    for (const engine of ['plain', 'optimized'] as const) expect(() => loadProgram(broken, { engine })).toThrow(/cannot be loaded/);
  });
});
