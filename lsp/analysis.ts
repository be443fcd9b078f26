/**
 * One analysis per document version, shared by every feature, from the same front end as
 * `kss check` (compiler/analyze.ts), so the editor and CI report the very same diagnostics.
 */
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzePolicy } from '../compiler/analyze.js';
import type { AnalyzeResult } from '../compiler/analyze.js';
import { existsSync, readFileSync } from 'node:fs';
import { loadConfigWithDiagnostics } from '../compiler/config.js';
import type { ConfigFiles, KssConfig } from '../compiler/config.js';
import type { PolicySource } from '../compiler/analyze.js';

export interface Analysis extends AnalyzeResult {
  uri: string;
  version: number;
  text: string;
  /** The text split into lines (for the indentation-based locator). */
  lines: string[];
}

/** A file path for messages and config lookup; other schemes keep their URI. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export class Analyses {
  private readonly cache = new Map<string, Analysis>();
  /** The last AST of each document that parsed: the outline keeps it while the YAML is half typed. */
  private readonly lastGood = new Map<string, Analysis['ast']>();
  /** Severity overrides from the editor's settings; they win over the project's config file. */
  editorSeverity: KssConfig['severity'] = {};

  get(document: TextDocument): Analysis {
    const cached = this.cache.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const analysis = this.analyzeText(document.uri, document.version, document.getText());
    this.cache.set(document.uri, analysis);
    if (analysis.ast) this.lastGood.set(document.uri, analysis.ast);
    return analysis;
  }

  /** Bytes (a file read from disk for the workspace check) are decoded as the CLI does: UTF-8 or an error. */
  analyzeText(uri: string, version: number, source: PolicySource): Analysis {
    const file = uriToPath(uri);
    const result = analyzePolicy(source, file, { config: this.configFor(uri) });
    return { ...result, uri, version, lines: result.text.split('\n') };
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.lastGood.delete(uri);
  }

  /** This version's AST, or the last one that parsed. */
  astOrLastGood(analysis: Analysis): Analysis['ast'] {
    return analysis.ast ?? this.lastGood.get(analysis.uri) ?? null;
  }

  /** Drops every cached analysis (settings changed). */
  clear(): void {
    this.cache.clear();
  }

  private configFor(uri: string): KssConfig {
    const project = uri.startsWith('file:') ? safeLoad(uriToPath(uri)) : { severity: {} };
    return { severity: { ...project.severity, ...this.editorSeverity } };
  }
}

/** The file system, for the compiler's config search (the compiler reads no file itself). */
const CONFIG_FILES: ConfigFiles = { exists: existsSync, read: (path) => readFileSync(path, 'utf8') };

function safeLoad(file: string): KssConfig {
  try {
    return loadConfigWithDiagnostics(file, CONFIG_FILES).config;
  } catch {
    return { severity: {} };
  }
}
