/**
 * The one text form of diagnostics, for people: `kss check`'s text output, and wherever a command or
 * the server shows why a policy was refused (`policy --load`, serve, eval, test, fmt). Like a
 * compiler's output, with the source line and a caret under the range:
 *
 *     policy.yml:5:5: error[KSS1104]: unknown argument `per_days` for `per-profile-throttle-rule`
 *        5 |     per_days: 5
 *          |     ^^^^^^^^
 *       = help: did you mean `per_day`?
 */
import type { Diagnostic, Severity } from './diagnostics.js';
import { LineIndex } from './diagnostics.js';

/** One checked file: its name as shown, its text (for the source lines; empty when unread), its diagnostics. */
export interface FileReport {
  /** The path as shown to the user (relative to the working folder when possible). */
  file: string;
  /** The file's text, for source lines in the text format (empty when it could not be read). */
  text: string;
  diagnostics: Diagnostic[];
}

export interface TextReportOptions {
  color: boolean;
  /** End with `checked N files: ...` (kss check); off where the diagnostics explain a refusal. */
  summary?: boolean;
}

const COLORS: Record<Severity | 'dim' | 'bold', string> = { error: '31', warning: '33', info: '36', hint: '36', dim: '2', bold: '1' };
const MAX_SHOWN_LINE = 200;

export function formatTextReport(reports: FileReport[], options: TextReportOptions): string {
  const paint = (style: keyof typeof COLORS, s: string) => (options.color ? `\u001b[${COLORS[style]}m${s}\u001b[0m` : s);
  const out: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const report of reports) {
    const lines = report.text ? new LineIndex(report.text) : null;
    for (const d of report.diagnostics) {
      counts[d.severity]++;
      out.push(`${paint('bold', `${report.file}:${d.range.start.line}:${d.range.start.column}`)}: ${paint(d.severity, `${d.severity}[${d.code}]`)}: ${d.message}`);
      if (lines) out.push(...snippet(lines, d, paint));
      if (d.help) out.push(`  ${paint('dim', '= help:')} ${d.help}`);
      out.push('');
    }
  }
  if (options.summary === false) {
    while (out.at(-1) === '') out.pop();
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
  const parts = (['error', 'warning', 'info', 'hint'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}${counts[s] === 1 ? '' : 's'}`);
  const files = `${reports.length} file${reports.length === 1 ? '' : 's'}`;
  out.push(parts.length === 0 ? `checked ${files}: no problems` : `checked ${files}: ${parts.join(', ')}`);
  return `${out.join('\n')}\n`;
}

function snippet(lines: LineIndex, d: Diagnostic, paint: (style: keyof typeof COLORS, s: string) => string): string[] {
  const { start, end } = d.range;
  const raw = lines.lineText(start.line);
  if (raw === '' && start.line > lines.lineCount) return [];
  // Tabs would shift the caret; very long lines (minified JSON) are cut around the range.
  const text = raw.replace(/\t/g, ' ');
  let from = 0;
  if (text.length > MAX_SHOWN_LINE) from = Math.max(0, start.column - 1 - 40);
  const shown = text.slice(from, from + MAX_SHOWN_LINE);
  const caretStart = start.column - 1 - from;
  const caretEnd = end.line === start.line ? Math.max(end.column - 1 - from, caretStart + 1) : shown.length;
  const width = Math.max(1, Math.min(caretEnd, shown.length + 1) - caretStart);
  const gutter = String(start.line);
  const pad = ' '.repeat(gutter.length);
  return [
    `  ${paint('dim', `${gutter} |`)} ${from > 0 ? '…' : ''}${shown}`,
    `  ${paint('dim', `${pad} |`)} ${from > 0 ? ' ' : ''}${' '.repeat(Math.max(0, caretStart))}${paint(d.severity, '^'.repeat(width))}`,
  ];
}

