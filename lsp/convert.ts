/** The edge between kss positions (offsets, 1-based lines and columns) and LSP's (0-based). */
import type { Diagnostic as KssDiagnostic, Range as KssRange } from '../compiler/diagnostics.js';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { Diagnostic, Range } from 'vscode-languageserver';

export function toLspRange(range: KssRange): Range {
  return {
    start: { line: range.start.line - 1, character: range.start.column - 1 },
    end: { line: range.end.line - 1, character: range.end.column - 1 },
  };
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
