/**
 * Two policy sources compared as the console shows them: compiled in the server's zone, the
 * semantic diff of `kss diff` (index.ts) and the line diff of the texts (lines.ts). Runs in the
 * server's worker thread (runtime/server/compile-in-worker.ts): it can take seconds on a large policy.
 */
import { compilePolicy } from '../../compiler/compile.js';
import { describeZone, instantFromMs, parseZone } from '../time/index.js';
import { diffPolicies, type DiffReport } from './index.js';
import { lineDiff, MAX_LINE_EDITS, type Hunk } from './lines.js';

export interface SourcesDiff extends DiffReport {
  /** Null when the texts differ in more than MAX_LINE_EDITS lines (`source_diff_note` says so). */
  source_diff: Hunk[] | null;
  source_diff_note?: string;
}

/** `error`: a source that does not compile in this zone (named `old` or `new`). */
export function diffSources(oldText: string, newText: string, tz: string, nowMs: number): SourcesDiff | { error: string } {
  const zone = describeZone(tz, nowMs);
  const artifacts = [];
  for (const [name, text] of [['old', oldText], ['new', newText]] as const) {
    const r = compilePolicy(text, `${name}.yml`, { zone });
    if (!r.artifact) return { error: `the ${name} policy does not compile in the server zone ${tz} (${r.diagnostics.filter((d) => d.severity === 'error').length} errors)` };
    artifacts.push(r.artifact);
  }
  const report = diffPolicies(artifacts[0]!, artifacts[1]!, { zone: parseZone(tz), from: instantFromMs(nowMs) });
  const hunks = lineDiff(oldText, newText);
  return { ...report, source_diff: hunks, ...(hunks === null ? { source_diff_note: `the sources differ in more than ${MAX_LINE_EDITS} lines: no line diff` } : {}) };
}
