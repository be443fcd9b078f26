/** `--format github`: GitHub Actions workflow commands, shown as annotations on the pull request. */
import type { Severity } from '../../compiler/diagnostics.js';
import type { Formatter } from './types.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts
export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const formatGithub: Formatter = (reports) => {
  const lines: string[] = [];
  for (const report of reports) {
    for (const d of report.diagnostics) {
      const { start, end } = d.range;
      const properties = [
        `file=${escapeProperty(report.file)}`,
        `line=${start.line}`,
        `col=${start.column}`,
        `endLine=${end.line}`,
        `endColumn=${end.column}`,
        `title=${escapeProperty(d.code)}`,
      ].join(',');
      const message = d.help ? `${d.message}\n${d.help}` : d.message;
      lines.push(`::${COMMAND[d.severity]} ${properties}::${escapeData(message)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
};
