/**
 * The whole compiler: analyse (decode + parse + check), lower, optimise, emit. A policy with any
 * error gets no artifact; warnings are returned alongside one. Lowering reads what the checks read
 * (the same readers and the same fragments), so a policy `kss check` passes always compiles.
 */
import { analyzePolicy } from './analyze.js';
import type { AnalyzeOptions, PolicySource } from './analyze.js';
import type { Diagnostic } from './diagnostics.js';
import { buildArtifact } from './emit/artifact.js';
import type { CompiledArtifact } from './emit/artifact.js';
import { lowerPolicy } from './ir/lower.js';
import { optimize } from './optimize/plan.js';

export type { CompiledArtifact } from './emit/artifact.js';

export interface CompileResult {
  artifact: CompiledArtifact | null;
  diagnostics: Diagnostic[];
  /** The policy's text as compiled (decoded, without a byte order mark): what the artifact's sha256 covers. */
  text: string;
}

export type CompileOptions = Pick<AnalyzeOptions, 'zone'>;

export function compilePolicy(source: PolicySource, file: string, options: CompileOptions = {}): CompileResult {
  const analyzed = analyzePolicy(source, file, options);
  const { text } = analyzed;
  const diagnostics = [...analyzed.diagnostics];
  if (!analyzed.ast || diagnostics.some((d) => d.severity === 'error')) return { artifact: null, diagnostics, text };
  const lowered = lowerPolicy(analyzed.ast, { fragments: analyzed.fragments });
  // The checks have reported the warnings already; lowering can only add errors they missed.
  const errors = lowered.diagnostics.filter((d) => d.severity === 'error');
  diagnostics.push(...errors);
  if (errors.length > 0) return { artifact: null, diagnostics, text };
  return { artifact: buildArtifact(text, file, lowered.ir, optimize(lowered.ir)), diagnostics, text };
}
