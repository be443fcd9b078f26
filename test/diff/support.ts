/** Compiling two policy texts and diffing them, for the diff tests. */
import { compilePolicy } from '../../compiler/compile.js';
import type { CompiledArtifact } from '../../compiler/emit/artifact.js';
import { diffPolicies, type DiffReport } from '../../runtime/diff/index.js';
import { parseInstant, parseZone, type Zone } from '../../runtime/time/index.js';

export const UTC = parseZone('UTC');
export const FROM = parseInstant('2026-12-01T00:00:00Z', UTC)!;

export function compile(yaml: string, file = 'policy.yml'): CompiledArtifact {
  const { artifact, diagnostics } = compilePolicy(yaml, file);
  if (!artifact) throw new Error(`does not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  return artifact;
}

export function diff(oldYaml: string, newYaml: string, zone: Zone = UTC): DiffReport {
  return diffPolicies(compile(oldYaml, 'old.yml'), compile(newYaml, 'new.yml'), { zone, from: FROM });
}
