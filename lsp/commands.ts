/**
 * Custom requests behind the VS Code extension's commands, so the client stays a thin shell:
 * `kss/ruleIds`, `kss/normalizedPolicy` and `kss/checkWorkspace`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lowerPolicy } from '../compiler/ir/lower.js';
import type { PolicyIR } from '../compiler/ir/types.js';
import type { Analysis } from './analysis.js';
import { safeAssign } from './inlay-hints.js';

export const REQUESTS = {
  ruleIds: 'kss/ruleIds',
  normalizedPolicy: 'kss/normalizedPolicy',
  checkWorkspace: 'kss/checkWorkspace',
} as const;

export interface RuleIdEntry {
  requestType: string;
  ruleSet: number;
  rule: number;
  kind: string | null;
  ruleId: string;
  explicit: boolean;
  /** 0-based line of the rule. */
  line: number;
}

export function ruleIds(analysis: Analysis): { uri: string; ruleIds: RuleIdEntry[]; error?: string } {
  if (!analysis.ast) return { uri: analysis.uri, ruleIds: [], error: 'the policy does not parse; fix its YAML errors first' };
  return {
    uri: analysis.uri,
    ruleIds: safeAssign(analysis.ast).map((a) => ({
      requestType: a.requestType,
      ruleSet: a.ruleSet,
      rule: a.rule,
      kind: a.node.kind,
      ruleId: a.ruleId,
      explicit: a.explicit,
      line: a.node.range.start.line - 1,
    })),
  };
}

export function normalizedPolicy(analysis: Analysis): { uri: string; policy: PolicyIR | null; errors: number; error?: string } {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  if (!analysis.ast) return { uri: analysis.uri, policy: null, errors, error: 'the policy does not parse; fix its YAML errors first' };
  try {
    return { uri: analysis.uri, policy: lowerPolicy(analysis.ast).ir, errors };
  } catch (error) {
    return { uri: analysis.uri, policy: null, errors, error: `cannot lower the policy: ${(error as Error).message}` };
  }
}

export interface FileSummary {
  uri: string;
  errors: number;
  warnings: number;
  others: number;
}

/** Policy files under the given folders: `keyserver.yml` and `*.keyserver.yml`, skipping dependency and VCS folders. */
export function findPolicyFiles(folders: string[], limit = 2000): string[] {
  const found: string[] = [];
  const skip = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);
  const walk = (dir: string, depth: number): void => {
    if (depth > 12 || found.length >= limit) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      if (skip.has(name)) continue;
      const path = join(dir, name);
      let isDir = false;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (isDir) walk(path, depth + 1);
      else if (/^(?:keyserver|.+\.keyserver)\.ya?ml$/.test(name)) found.push(path);
      if (found.length >= limit) return;
    }
  };
  for (const folder of folders) walk(folder, 0);
  return found;
}

/** Reads a policy file for the workspace check (bytes: the analysis decodes them); open documents use the editor's text instead. */
export function readPolicyFile(path: string): { uri: string; text: Uint8Array } | null {
  try {
    return { uri: pathToFileURL(path).toString(), text: readFileSync(path) };
  } catch {
    return null;
  }
}

export function summarise(analysis: Analysis): FileSummary {
  let errors = 0;
  let warnings = 0;
  let others = 0;
  for (const d of analysis.diagnostics) {
    if (d.severity === 'error') errors++;
    else if (d.severity === 'warning') warnings++;
    else others++;
  }
  return { uri: analysis.uri, errors, warnings, others };
}
