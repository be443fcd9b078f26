/**
 * Every diagnostic code the front end (`analyzePolicy`, and lowering in `kss compile`) can produce, with a name and one line of description:
 * what SARIF's rule list, the docs test and `kss check --list-codes` read.
 */
import type { Severity } from '../diagnostics.js';
import { PARSE_CODES } from '../source/parse-codes.js';
import { LOWER_CODES } from '../ir/lower-codes.js';
import { FRAMEWORK_CODES } from './framework-codes.js';
import { REGISTRY } from './registry.js';

export interface CodeEntry {
  code: string;
  /** kebab-case name: the check id, or a name for parser/framework codes. */
  name: string;
  description: string;
  defaultSeverity: Severity;
  /** Path of the doc page, relative to the repository root. */
  doc: string;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const CODE_CATALOG: readonly CodeEntry[] = [
  ...Object.entries(PARSE_CODES).map(([name, info]) => ({ code: info.code, name: kebab(name), description: info.doc, defaultSeverity: 'error' as Severity })),
  // Lowering's codes: `kss compile` can report them when the checker let something through.
  ...Object.entries(LOWER_CODES).map(([name, info]) => ({ code: info.code, name: `lower-${kebab(name)}`, description: info.doc, defaultSeverity: 'error' as Severity })),
  ...REGISTRY.map((c) => ({ code: c.code, name: c.id, description: c.meta.description, defaultSeverity: c.meta.defaultSeverity })),
  ...Object.entries(FRAMEWORK_CODES).map(([name, info]) => ({
    code: info.code,
    name: kebab(name),
    description: info.doc,
    defaultSeverity: (name === 'tooManyDiagnostics' ? 'info' : 'error') as Severity,
  })),
]
  .map((entry) => ({ ...entry, doc: `docs/diagnostics/${entry.code}.md` }))
  .sort((a, b) => a.code.localeCompare(b.code));

const byCode = new Map(CODE_CATALOG.map((e) => [e.code, e] as const));

export function codeEntry(code: string): CodeEntry | undefined {
  return byCode.get(code);
}
