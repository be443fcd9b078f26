/**
 * The one front end shared by `kss check`, the compiler and the language server:
 * parse, check (only when the file could be read), apply the project's severities and
 * `# kss-ignore` comments, sort by position and cap the list.
 */
import type { Diagnostic } from './diagnostics.js';
import type { PolicyAst } from './source/ast.js';
import { parsePolicy } from './source/parse.js';
import { runChecks } from './checker/run.js';
import { checkByCode } from './checker/registry.js';
import { FRAMEWORK_CODES } from './checker/framework-codes.js';
import { ignoredCodesByLine } from './checker/ignore.js';
import type { KssConfig } from './config.js';

export type { KssConfig } from './config.js';

export interface AnalyzeOptions {
  config?: KssConfig;
  /** Default 1000. */
  maxDiagnostics?: number;
}

export interface AnalyzeResult {
  ast: PolicyAst | null;
  /** Sorted by position, capped, severities from config, kss-ignore applied. */
  diagnostics: Diagnostic[];
}

export const DEFAULT_MAX_DIAGNOSTICS = 1000;

export function analyzePolicy(text: string, file: string, options: AnalyzeOptions = {}): AnalyzeResult {
  const parsed = parsePolicy(text, file);
  const found = [...parsed.diagnostics];
  if (parsed.ast) found.push(...runChecks(parsed.ast));
  const configured = applyConfig(found, options.config);
  const ignored = ignoredCodesByLine(text);
  const kept = configured.filter((d) => !isIgnored(d, ignored));
  kept.sort(byPosition);
  return { ast: parsed.ast, diagnostics: cap(kept, options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS) };
}

function applyConfig(diagnostics: Diagnostic[], config: KssConfig | undefined): Diagnostic[] {
  if (!config || Object.keys(config.severity).length === 0) return diagnostics;
  const result: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const id = checkByCode(diagnostic.code)?.id;
    const level = config.severity[diagnostic.code] ?? (id ? config.severity[id] : undefined);
    if (level === 'off') continue;
    result.push(level ? { ...diagnostic, severity: level } : diagnostic);
  }
  return result;
}

function isIgnored(diagnostic: Diagnostic, ignored: Map<number, Set<string>>): boolean {
  if (ignored.size === 0) return false;
  const codes = ignored.get(diagnostic.range.start.line);
  if (!codes) return false;
  const id = checkByCode(diagnostic.code)?.id;
  return codes.has(diagnostic.code) || (id !== undefined && codes.has(id));
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.offset - b.range.start.offset || a.range.end.offset - b.range.end.offset || a.code.localeCompare(b.code);
}

function cap(diagnostics: Diagnostic[], max: number): Diagnostic[] {
  if (diagnostics.length <= max) return diagnostics;
  const kept = diagnostics.slice(0, Math.max(0, max));
  const last = kept[kept.length - 1] ?? diagnostics[0]!;
  kept.push({
    code: FRAMEWORK_CODES.tooManyDiagnostics.code,
    severity: 'info',
    message: `${diagnostics.length - kept.length} more diagnostics not shown (limit ${max} per file)`,
    range: last.range,
    help: 'fix the ones shown first; many usually share one cause',
  });
  return kept;
}
