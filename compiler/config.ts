/**
 * Project configuration: severity overrides per diagnostic code (or check id).
 *
 *     # .kss.yml
 *     severity:
 *       KSS3005: off                  # by code
 *       unreachable-rule-set: error   # or by check id
 *
 * `parseConfig` is pure. The upward search for the file is here once for the CLI and the language
 * server, but the compiler reads no file itself (DESIGN): the edges hand it `ConfigFiles`, their
 * access to the file system, and an absolute policy path.
 */
import { dirname, join } from 'node:path';
import { isMap, isScalar, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { LineIndex } from './diagnostics.js';
import type { Diagnostic, Severity } from './diagnostics.js';
import { FRAMEWORK_CODES } from './checker/framework-codes.js';
import { CODE_CATALOG } from './checker/catalog.js';
import { closest } from './checker/suggest.js';

export interface KssConfig {
  /** Keyed by code (`KSS3005`) or check id (`throttle-without-rule-id`). */
  severity: Record<string, Severity | 'off'>;
}

export interface LoadedConfig {
  /** The config file found, or null when none applies. */
  path: string | null;
  config: KssConfig;
  /** Problems in the config file itself (reported against `path`). */
  diagnostics: Diagnostic[];
}

export const CONFIG_FILE_NAMES = ['.kss.yml', '.kss.yaml', 'kss.config.yml', 'kss.config.yaml'] as const;

/** What the compiler may ask the edge (CLI, language server) about files. `read` may throw. */
export interface ConfigFiles {
  exists(path: string): boolean;
  read(path: string): string;
}

const LEVELS = new Set(['error', 'warning', 'info', 'hint', 'off']);
/** Codes and names a config may set (a typo would otherwise silently change nothing). */
const KNOWN = new Set(CODE_CATALOG.flatMap((entry) => [entry.code, entry.name]));

export function emptyConfig(): KssConfig {
  return { severity: {} };
}

export function parseConfig(text: string): { config: KssConfig; diagnostics: Diagnostic[] } {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const config = emptyConfig();
  const problem = (node: { range?: [number, number, number] | null } | null | undefined, message: string, help?: string) => {
    const [start, end] = node?.range ?? [0, 0];
    diagnostics.push({ code: FRAMEWORK_CODES.config.code, severity: 'error', message, range: lines.range(start, end), ...(help ? { help } : {}) });
  };
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    problem(null, `cannot read the config file: ${error instanceof Error ? error.message : String(error)}`);
    return { config, diagnostics };
  }
  for (const error of doc.errors) {
    diagnostics.push({ code: FRAMEWORK_CODES.config.code, severity: 'error', message: `config file: ${error.message.split('\n')[0]}`, range: lines.range(error.pos[0], error.pos[1]) });
  }
  if (doc.errors.length > 0) return { config, diagnostics };
  const top = doc.contents;
  if (top === null || (isScalar(top) && (top.value === null || top.value === ''))) return { config, diagnostics };
  if (!isMap(top)) {
    problem(top as Node, 'the config file must be a mapping with a `severity` key');
    return { config, diagnostics };
  }
  for (const pair of top.items) {
    const key = pair.key as Node | null;
    const name = isScalar(key) ? String(key.value) : '';
    if (name !== 'severity') {
      problem(key, `unknown config key \`${name}\``, 'the only key is `severity`, a mapping from code or check id to error|warning|info|hint|off');
      continue;
    }
    const levels = pair.value as Node | null;
    if (!isMap(levels)) {
      problem(levels ?? key, '`severity` must be a mapping from code or check id to a level');
      continue;
    }
    for (const entry of levels.items) {
      const code = isScalar(entry.key) ? String(entry.key.value) : '';
      const valueNode = entry.value as Node | null;
      const level = isScalar(valueNode) ? valueNode.value : null;
      // YAML 1.1 habits: `KSS3005: off` is a string in YAML 1.2, but `false` means off too.
      const text = level === false ? 'off' : String(level);
      if (!LEVELS.has(text)) {
        problem(valueNode ?? (entry.key as Node), `severity of \`${code}\` must be error, warning, info, hint or off, not \`${text}\``);
        continue;
      }
      if (!KNOWN.has(code)) {
        const suggestion = closest(code, [...KNOWN]);
        problem(entry.key as Node, `unknown code or check id \`${code}\``,
          suggestion ? `did you mean \`${suggestion}\`?` : 'see docs/diagnostics/README.md for every code and check id');
        continue;
      }
      config.severity[code] = text as Severity | 'off';
    }
  }
  return { config, diagnostics };
}

/** The nearest config file at or above the folder of `policyFile` (an absolute path). */
export function findConfigFile(policyFile: string, files: Pick<ConfigFiles, 'exists'>): string | null {
  let dir = dirname(policyFile);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (files.exists(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** The config that applies to `policyFile` (an absolute path), with the problems of the config file itself. */
export function loadConfigWithDiagnostics(policyFile: string, files: ConfigFiles): LoadedConfig {
  const path = findConfigFile(policyFile, files);
  if (!path) return { path: null, config: emptyConfig(), diagnostics: [] };
  let text: string;
  try {
    text = files.read(path);
  } catch (error) {
    const lines = new LineIndex('');
    return {
      path,
      config: emptyConfig(),
      diagnostics: [{ code: FRAMEWORK_CODES.config.code, severity: 'error', message: `cannot read the config file: ${(error as Error).message}`, range: lines.range(0, 0) }],
    };
  }
  return { path, ...parseConfig(text) };
}
