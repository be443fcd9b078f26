/**
 * Uncovered rule sets from a coverage file (`kss test --coverage-file kss-coverage.json`): the
 * server looks for `kss-coverage.json` in the policy's folder, then in each parent folder, and
 * shows each rule set that no test case reached or saw approve as an Information diagnostic (code
 * `coverage`). Information, not a warning: an untested rule set is not a defect of the policy.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic } from 'vscode-languageserver';
import { COVERAGE_FILE, coverageGaps, readCoverageFile } from '../compiler/coverage.js';
import type { CoverageFile, PolicyCoverage } from '../compiler/coverage.js';
import { sha256Hex } from '../compiler/emit/artifact.js';
import type { PolicyAst } from '../compiler/source/ast.js';
import { toLspRange } from './convert.js';

/** Parent folders looked at, at most: a policy deep in a tree should not walk the whole disk. */
const MAX_LEVELS = 32;

/** Coverage files read, by path, kept while their modification time stays the same. */
const cache = new Map<string, { mtimeMs: number; file: CoverageFile | null }>();

/** The nearest coverage file's entry for the policy at `path`, with the coverage file's path. */
export function findCoverage(path: string): { entry: PolicyCoverage; from: string } | null {
  const policy = resolve(path);
  let dir = dirname(policy);
  for (let level = 0; level < MAX_LEVELS; level++) {
    const candidate = join(dir, COVERAGE_FILE);
    const file = readCached(candidate);
    const entry = file?.policies.find((p) => resolve(dir, p.policy) === policy);
    if (entry) return { entry, from: candidate };
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

function readCached(path: string): CoverageFile | null {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    cache.delete(path);
    return null;
  }
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit.file;
  let file: CoverageFile | null = null;
  try {
    file = readCoverageFile(readFileSync(path, 'utf8'));
  } catch {
    file = null;
  }
  cache.set(path, { mtimeMs, file });
  return file;
}

/** The coverage diagnostics of a policy document (none without a coverage file that names it). */
export function coverageDiagnostics(path: string, ast: PolicyAst | null, text: string): Diagnostic[] {
  if (!ast || !path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path)) return [];
  const found = findCoverage(path);
  if (!found) return [];
  const stale = found.entry.sha256 !== sha256Hex(text)
    ? `\n${found.from} was written for another version of this file; run \`kss test --coverage-file\` again`
    : '';
  const out: Diagnostic[] = [];
  for (const gap of coverageGaps(found.entry)) {
    const set = ast.requestTypes.find((t) => t.name === gap.requestType)?.ruleSets[gap.ruleSet];
    if (!set) continue;
    const first = set.rules[0]?.kindNode?.range ?? set.range;
    out.push({ range: toLspRange(first), severity: DiagnosticSeverity.Information, code: 'coverage', source: 'kss', message: `${gap.message}${stale}` });
  }
  return out;
}
