/**
 * Loading a compiled artifact into a decision program. Both engines share one decision procedure
 * (decide.ts); they differ only in how they find the rule sets whose stateless rules approve.
 * Traces always come from the plain interpreter: it explains every rule it looks at, and the
 * property tests hold the two engines to the same decisions.
 */
import type { CompiledArtifact } from '../../compiler/emit/artifact.js';
import { artifactProblem } from '../../compiler/emit/artifact.js';
import { decideAsync, decideSync } from './decide.js';
import type { PathIndexMode } from './meta-program.js';
import { OptimizedEngine } from './optimized.js';
import { PlainEngine } from './plain.js';
import type { AsyncQuotaStore, Decision, EvalContext, KssRequest, QuotaStore } from './types.js';

export type { CompiledArtifact } from '../../compiler/emit/artifact.js';
export { MemoryQuota } from '../quota/memory.js';

export type EngineName = 'plain' | 'optimized';

export interface DecideOptions {
  trace?: boolean;
}

export interface DecisionProgram {
  decide(req: KssRequest, ctx: EvalContext, quota: QuotaStore, opts?: DecideOptions): Decision;
  decideAsync(req: KssRequest, ctx: EvalContext, quota: AsyncQuotaStore, opts?: DecideOptions): Promise<Decision>;
  readonly ruleIds: string[];
  readonly engine: EngineName;
  readonly sha256: string;
}

export class ArtifactError extends Error {}

/** Throws ArtifactError (with a message for the user) when the artifact is not a loadable program. */
/** `pathIndex` 'always' makes every meta-rule with literal paths read the path index (for tests). */
export function loadProgram(artifact: CompiledArtifact, opts: { engine?: EngineName; pathIndex?: PathIndexMode } = {}): DecisionProgram {
  const problem = artifactProblem(artifact);
  if (problem) throw new ArtifactError(problem);
  const engineName = opts.engine ?? 'optimized';
  let plain: PlainEngine;
  let fast: OptimizedEngine | null;
  try {
    plain = new PlainEngine(artifact.ir);
    fast = engineName === 'optimized' ? new OptimizedEngine(artifact.plan, opts.pathIndex) : null;
  } catch (error) {
    throw new ArtifactError(`the artifact cannot be loaded (${(error as Error).message}); recompile the policy with \`kss compile\``);
  }
  const start = (req: KssRequest, ctx: EvalContext, trace: boolean) =>
    fast !== null && !trace ? fast.start(req, ctx) : plain.start(req, ctx, trace);
  const ruleIds = Object.values(artifact.ruleIds).flat(2);
  return {
    engine: engineName,
    sha256: artifact.sha256,
    ruleIds,
    decide: (req, ctx, quota, o) => decideSync(start(req, ctx, o?.trace === true), quota),
    decideAsync: (req, ctx, quota, o) => {
      try {
        return decideAsync(start(req, ctx, o?.trace === true), quota);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
