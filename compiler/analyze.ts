/**
 * The one front end shared by `kss check`, the compiler and the language server: decode (bytes must
 * be UTF-8), parse under the limits of source/limits.ts, check (only when the file could be read),
 * apply the project's severities and `# kss-ignore` comments, sort by position and cap the list.
 * Pure: no I/O, no state kept between calls, so it runs the same in a worker thread.
 */
import type { Diagnostic } from './diagnostics.js';
import type { PolicyAst } from './source/ast.js';
import { parsePolicy } from './source/parse.js';
import { runChecks } from './checker/run.js';
import { checkByCode } from './checker/registry.js';
import { FRAMEWORK_CODES } from './checker/framework-codes.js';
import { ignoredCodesByLine } from './checker/ignore.js';
import { Fragments } from './arguments/fragments.js';
import { decodePolicy } from './source/decode.js';
import type { PolicySource } from './source/decode.js';
import type { KssConfig } from './config.js';
import type { ZoneInfo } from './zone-info.js';

export type { KssConfig } from './config.js';

export type { PolicySource } from './source/decode.js';
export type { ZoneInfo } from './zone-info.js';

export interface AnalyzeOptions {
  config?: KssConfig;
  /** Default 1000. */
  maxDiagnostics?: number;
  /**
   * The server's time zone, where the caller knows it (serve, policy load, eval, test, `check --tz`):
   * the checks that depend on it are then exact; without it they warn where the zone would decide.
   */
  zone?: ZoneInfo;
}

export interface AnalyzeResult {
  /** The policy's text (decoded, without a byte order mark). */
  text: string;
  ast: PolicyAst | null;
  /** Sorted by position, capped, severities from config, kss-ignore applied. */
  diagnostics: Diagnostic[];
  /** The fragments the checks read: lowering takes them instead of parsing again. */
  fragments: Fragments;
}

export const DEFAULT_MAX_DIAGNOSTICS = 1000;

export function analyzePolicy(source: PolicySource, file: string, options: AnalyzeOptions = {}): AnalyzeResult {
  const fragments = new Fragments();
  const decoded = decodePolicy(source);
  const text = decoded.text;
  if (decoded.diagnostics.length > 0) return { text, ast: null, diagnostics: decoded.diagnostics, fragments };
  const parsed = parsePolicy(text, file);
  const found = [...parsed.diagnostics];
  if (parsed.ast) found.push(...runChecks(parsed.ast, undefined, { fragments, ...(options.zone ? { zone: options.zone } : {}) }));
  return { text, ast: parsed.ast, diagnostics: finishDiagnostics(found, text, options), fragments };
}

/** Severities from config, `# kss-ignore` comments, sorted by position, capped: the last steps of every analysis. */
export function finishDiagnostics(found: Diagnostic[], text: string, options: AnalyzeOptions): Diagnostic[] {
  const configured = applyConfig(found, options.config);
  const ignored = ignoredCodesByLine(text);
  const kept = configured.filter((d) => !isIgnored(d, ignored));
  kept.sort(byPosition);
  return cap(kept, options.maxDiagnostics ?? DEFAULT_MAX_DIAGNOSTICS);
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
