/**
 * The whole compiler: analyse (parse + check), lower, optimise, emit. A policy with any error gets no
 * artifact; warnings are returned alongside one.
 */
import { analyzePolicy } from './analyze.js';
import type { Diagnostic } from './diagnostics.js';
import { buildArtifact } from './emit/artifact.js';
import type { CompiledArtifact } from './emit/artifact.js';
import { lowerPolicy } from './ir/lower.js';
import { optimize } from './optimize/plan.js';

export type { CompiledArtifact } from './emit/artifact.js';

export interface CompileResult {
  artifact: CompiledArtifact | null;
  diagnostics: Diagnostic[];
}

export function compilePolicy(text: string, file: string): CompileResult {
  const analyzed = analyzePolicy(text, file);
  const diagnostics = [...analyzed.diagnostics];
  if (!analyzed.ast || diagnostics.some((d) => d.severity === 'error')) return { artifact: null, diagnostics };
  const lowered = lowerPolicy(analyzed.ast);
  // The checker has reported the warnings already; lowering can only add errors it missed.
  const errors = lowered.diagnostics.filter((d) => d.severity === 'error');
  diagnostics.push(...errors);
  if (errors.length > 0) return { artifact: null, diagnostics };
  return { artifact: buildArtifact(text, file, lowered.ir, optimize(lowered.ir)), diagnostics };
}
