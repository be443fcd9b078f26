/** `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. */
import type { Severity } from '../../compiler/diagnostics.js';
import { CODE_CATALOG, codeEntry } from '../../compiler/checker/catalog.js';
import type { Formatter } from './types.js';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export const formatSarif: Formatter = (reports) => {
  const used = new Set(reports.flatMap((r) => r.diagnostics.map((d) => d.code)));
  const rules = CODE_CATALOG.filter((e) => used.has(e.code));
  const index = new Map(rules.map((r, i) => [r.code, i] as const));
  const results = reports.flatMap((report) =>
    report.diagnostics.map((d) => ({
      ruleId: d.code,
      ...(index.has(d.code) ? { ruleIndex: index.get(d.code) } : {}),
      level: LEVEL[d.severity],
      message: { text: d.help ? `${d.message}\n${d.help}` : d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(report.file) },
            region: {
              startLine: d.range.start.line,
              startColumn: d.range.start.column,
              endLine: d.range.end.line,
              endColumn: d.range.end.column,
            },
          },
        },
      ],
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kss',
            version: '0.1.0',
            rules: rules.map((r) => ({
              id: r.code,
              name: r.name,
              shortDescription: { text: codeEntry(r.code)?.description ?? r.name },
              help: { text: `see ${r.doc}` },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};

/** SARIF wants URIs: relative paths with forward slashes, percent-encoded. */
function toUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
