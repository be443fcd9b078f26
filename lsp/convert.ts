/** The edge between kss positions (offsets, 1-based lines and columns) and LSP's (0-based). */
import type { Diagnostic as KssDiagnostic, LineIndex, Position as KssPosition, Range as KssRange } from '../compiler/diagnostics.js';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { Diagnostic, Position, Range } from 'vscode-languageserver';

export function toLspPosition(position: KssPosition): Position {
  return { line: position.line - 1, character: position.column - 1 };
}

export function toLspRange(range: KssRange): Range {
  return { start: toLspPosition(range.start), end: toLspPosition(range.end) };
}

/** The LSP range of the text between two offsets. */
export function offsetsToLspRange(lines: LineIndex, start: number, end: number): Range {
  return toLspRange(lines.range(start, end));
}

const SEVERITY: Record<KssDiagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What the server keeps on each LSP diagnostic so a code action can act on it later. */
export interface DiagnosticData {
  code: string;
  /** The kss diagnostic's own `data` (replacement, quoted, insertRuleId, ...). */
  fix?: Record<string, unknown>;
  /** Offsets of the diagnostic's range in the analysed text. */
  offsets: [number, number];
}

/** `docsBase` is where `<CODE>.md` pages live (a file: or https: URL ending in `/`). */
export function toLspDiagnostic(d: KssDiagnostic, docsBase: string | null): Diagnostic {
  const data: DiagnosticData = { code: d.code, offsets: [d.range.start.offset, d.range.end.offset], ...(d.data ? { fix: d.data } : {}) };
  const message = d.help ? `${d.message}\n${d.help}` : d.message;
  const unused = d.data?.['unnecessary'] === true;
  return {
    range: toLspRange(d.range),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'kss',
    message,
    data,
    ...(docsBase ? { codeDescription: { href: `${docsBase}${d.code}.md` } } : {}),
    ...(unused ? { tags: [DiagnosticTag.Unnecessary] } : {}),
  };
}
