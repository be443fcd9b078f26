/**
 * One analysis per document version, shared by every feature, from the same front end as
 * `kss check` (compiler/analyze.ts), so the editor and CI report the very same diagnostics. An open
 * document is analysed incrementally (compiler/sections/): an edit re-reads the request type it
 * touches and reuses the others, with the very result a whole analysis gives.
 */
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Document } from 'yaml';
import { analyzePolicy } from '../compiler/analyze.js';
import type { AnalyzeResult } from '../compiler/analyze.js';
import { IncrementalAnalyzer } from '../compiler/sections/incremental.js';
import { SectionFormatter } from '../compiler/format/by-sections.js';
import { formatPolicy } from '../compiler/format/format.js';
import type { FormatResult } from '../compiler/format/format.js';
import { LineIndex } from '../compiler/diagnostics.js';
import { readYaml } from '../compiler/source/read-yaml.js';
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
  /** Each open document's sections, kept between its versions. */
  private readonly incremental = new Map<string, IncrementalAnalyzer>();
  /** Each open document's formatted sections, kept between its versions. */
  private readonly formatters = new Map<string, SectionFormatter>();
  /** The yaml Document of an analysis made by sections (which has none of the whole text), once asked for. */
  private readonly documents = new WeakMap<Analysis, Document.Parsed | null>();
  /** The last AST of each document that parsed: the outline keeps it while the YAML is half typed. */
  private readonly lastGood = new Map<string, Analysis['ast']>();
  /** Severity overrides from the editor's settings; they win over the project's config file. */
  editorSeverity: KssConfig['severity'] = {};

  /**
   * This version's analysis, by sections unless `whole`. The formatter asks for `whole`: it needs the
   * Document of the whole text, which an analysis by sections has not (it would read the text whole
   * itself). When this version was not analysed yet (formatting asked right after an edit, before the
   * debounced analysis), reading it whole once serves both; the result is the same either way
   * (compiler/sections/), and the sections kept stay valid (they are kept by their text).
   */
  get(document: TextDocument, { whole = false } = {}): Analysis {
    const cached = this.cache.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    let analyzer = this.incremental.get(document.uri);
    if (!analyzer) this.incremental.set(document.uri, (analyzer = new IncrementalAnalyzer()));
    const analysis = this.analyzeText(document.uri, document.version, document.getText(), whole ? undefined : analyzer);
    this.cache.set(document.uri, analysis);
    if (analysis.ast) this.lastGood.set(document.uri, analysis.ast);
    return analysis;
  }

  /**
   * `formatPolicy` of this version: by sections (compiler/format/by-sections.ts), from the readings of
   * this version's analysis by sections, when it was made by sections and formatting by sections
   * gives the whole text's result for certain; else from the whole text (read once for the analysis
   * and the formatter when this version was not analysed yet, as `get` says).
   */
  format(document: TextDocument): FormatResult {
    const text = document.getText();
    this.get(document);
    const read = this.incremental.get(document.uri)?.lastRead;
    if (read && read.text === text) {
      let formatter = this.formatters.get(document.uri);
      if (!formatter) this.formatters.set(document.uri, (formatter = new SectionFormatter()));
      const result = formatter.format(text, read.sections);
      if (result) return result;
    }
    return formatPolicy(text, this.get(document, { whole: true }));
  }

  /** Bytes (a file read from disk for the workspace check) are decoded as the CLI does: UTF-8 or an error. */
  analyzeText(uri: string, version: number, source: PolicySource, analyzer?: IncrementalAnalyzer): Analysis {
    const file = uriToPath(uri);
    const options = { config: this.configFor(uri) };
    const result = analyzer ? analyzer.analyze(source, file, options) : analyzePolicy(source, file, options);
    // The lines are split when a feature asks (the outline's count, tests): not on every keystroke.
    let lines: string[] | undefined;
    return {
      ...result,
      uri,
      version,
      get lines() {
        return (lines ??= result.text.split('\n'));
      },
    };
  }

  /** The yaml Document of the whole text (go to definition), read when an analysis by sections has none. */
  documentOf(analysis: Analysis): Document.Parsed | null {
    if (!analysis.ast) return null;
    if (analysis.ast.document) return analysis.ast.document;
    if (!this.documents.has(analysis)) this.documents.set(analysis, readYaml(analysis.text, new LineIndex(analysis.text)).document);
    return this.documents.get(analysis) ?? null;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.lastGood.delete(uri);
    this.incremental.delete(uri);
    this.formatters.delete(uri);
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
