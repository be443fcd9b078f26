/** `--format json`: an array of `{file, code, severity, message, help?, range}` with 1-based lines and columns. */
import type { Formatter } from './types.js';

export const formatJson: Formatter = (reports) => {
  const items = reports.flatMap((report) =>
    report.diagnostics.map((d) => ({
      file: report.file,
      code: d.code,
      severity: d.severity,
      message: d.message,
      ...(d.help ? { help: d.help } : {}),
      range: {
        start: { line: d.range.start.line, column: d.range.start.column },
        end: { line: d.range.end.line, column: d.range.end.column },
      },
    })),
  );
  return `${JSON.stringify(items, null, 2)}\n`;
};
