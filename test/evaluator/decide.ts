/** Compiles a policy for real and decides with both engines (the optimised one also with its path index everywhere), failing when they disagree. */
import { expect } from 'vitest';
import { compilePolicy } from '../../compiler/compile.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { Decision, KssRequest } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';

export function decider(policy: string, tz = 'UTC') {
  // Requests are deliberately loose: malformed fields are part of what is tested.
  const { artifact, diagnostics } = compilePolicy(policy, 'test.yml');
  if (!artifact) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const engines = [{ engine: 'plain' as const }, { engine: 'optimized' as const }, { engine: 'optimized' as const, pathIndex: 'always' as const }]
    .map((opts) => ({ program: loadProgram(artifact, opts), quota: new MemoryQuota() }));
  return (req: Record<string, unknown>, at: string): Decision => {
    const [plain, fast, indexed] = engines.map(({ program, quota }) => program.decide(req as unknown as KssRequest, context(at, tz), quota));
    expect(fast).toEqual(plain);
    expect(indexed).toEqual(plain);
    return plain!;
  };
}

export const meta = (...metas: Array<[string, boolean]>) => metas.map(([m, complete]) => ({ meta: m, complete }));
