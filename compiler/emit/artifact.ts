/**
 * The compiled artifact: versioned JSON the runtime loads without the compiler. It carries the IR
 * (for the plain interpreter and for dumps) and the optimised plan (for the fast engine).
 */
import { createHash } from 'node:crypto';
import type { PolicyIR } from '../ir/types.js';
import type { ProgramPlan } from '../optimize/plan.js';

export const ARTIFACT_FORMAT = 'kss-program';
export const ARTIFACT_VERSION = 1;

export interface CompiledArtifact {
  format: typeof ARTIFACT_FORMAT;
  version: typeof ARTIFACT_VERSION;
  /** Hex SHA-256 of the policy source text (UTF-8). */
  sha256: string;
  /** The file the policy came from, as given to the compiler. */
  source: string;
  /** Every rule id by request type, rule set and rule (SPEC §5), like the conformance cases. */
  ruleIds: Record<string, string[][]>;
  ir: PolicyIR;
  plan: ProgramPlan;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function buildArtifact(text: string, file: string, ir: PolicyIR, plan: ProgramPlan): CompiledArtifact {
  const ruleIds: Record<string, string[][]> = {};
  for (const t of ir.requestTypes) ruleIds[t.type] = t.ruleSets.map((s) => s.rules.map((r) => r.ruleId));
  return { format: ARTIFACT_FORMAT, version: ARTIFACT_VERSION, sha256: sha256Hex(text), source: file, ruleIds, ir, plan };
}

/** Checks the envelope of a loaded artifact; returns a message saying what is wrong, or null. */
export function artifactProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'the artifact is not a JSON object';
  const a = value as Partial<CompiledArtifact>;
  if (a.format !== ARTIFACT_FORMAT) return `not a kss program (format \`${String(a.format)}\`, expected \`${ARTIFACT_FORMAT}\`)`;
  if (a.version !== ARTIFACT_VERSION) return `unsupported artifact version ${String(a.version)} (this runtime reads version ${ARTIFACT_VERSION}); recompile the policy with \`kss compile\``;
  if (typeof a.sha256 !== 'string' || !a.ir || !Array.isArray(a.ir.requestTypes) || !a.plan || !a.ruleIds) return 'the artifact is incomplete; recompile the policy with `kss compile`';
  return null;
}
