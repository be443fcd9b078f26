/**
 * The language server: wires LSP requests to the compiler's front end. Thin by design (STYLE.md §10):
 * each feature lives in its own module and sees only an Analysis. No handler may throw to the client,
 * whatever the document holds: every one runs inside `guard`.
 */
import { isDeepStrictEqual } from 'node:util';
import { TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver';
import type { Connection, InitializeParams, InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { KssConfig } from '../compiler/config.js';
import { Analyses, uriToPath } from './analysis.js';
import type { Analysis } from './analysis.js';
import { codeActions } from './code-actions.js';
import { REQUESTS, findPolicyFiles, normalizedPolicy, readPolicyFile, ruleIds, summarise } from './commands.js';
import { completions } from './completion.js';
import { toLspDiagnostic, toLspRange } from './convert.js';
import { coverageDiagnostics } from './coverage.js';
import { anchorFor } from './definition.js';
import { defaultDocsBase } from './docs-location.js';
import { hover } from './hover.js';
import { inlayHints } from './inlay-hints.js';
import { documentSymbols } from './symbols.js';
import { warmUpFormatter } from './warm-up.js';

export interface ServerOptions {
  /** Delay between the last change and the diagnostics, in ms. */
  debounceMs?: number;
  /** The same while typing (a change within `typingGapMs` of the previous one), in ms; default 40. */
  typingDebounceMs?: number;
  /** Changes closer together than this are typing, in ms; default 150 (keystrokes come 30-200 ms apart). */
  typingGapMs?: number;
  /** Where `<CODE>.md` pages live, for each diagnostic's link. */
  docsBaseUrl?: string;
  /** Severity overrides, as in the `kss.severity` setting. */
  severity?: KssConfig['severity'];
  /** Make the formatter's code hot while idle after start (warm-up.ts); default true. */
  formatWarmUp?: boolean;
}

/** However long the typing, diagnostics come at least this often. */
const MAX_WAIT_MS = 1000;
/** The formatter warm-up runs when no change came for this long and none waits for its analysis. */
const QUIET_MS = 250;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Analyses();
  const timers = new Map<string, { timer: NodeJS.Timeout; since: number }>();
  // Short for an isolated edit: the target is 150 ms end to end, and analysis takes most of it.
  let debounceMs = 10;
  // While typing, the pause that starts an analysis: longer than the gap between fast keystrokes.
  let typingDebounceMs = 40;
  let typingGapMs = 150;
  let docsBase: string | null = defaultDocsBase();
  let canPullConfig = false;
  let folders: string[] = [];
  let formatWarmUp = true;
  let stopWarmUp = () => {};

  const log = (message: string) => connection.console.error(`kss: ${message}`);
  const logFailure = (name: string, error: unknown) => log(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  function guard<P extends unknown[], R>(name: string, fallback: R, fn: (...args: P) => R): (...args: P) => R {
    return (...args: P) => {
      try {
        return fn(...args);
      } catch (error) {
        logFailure(name, error);
        return fallback;
      }
    };
  }
  const analysisOf = (uri: string): Analysis | null => {
    const document = documents.get(uri);
    return document ? analyses.get(document) : null;
  };

  const publish = guard('diagnostics', undefined, (uri: string) => {
    const document = documents.get(uri);
    if (!document) return;
    const analysis = analyses.get(document);
    void connection.sendDiagnostics({
      uri,
      version: document.version,
      diagnostics: [...analysis.diagnostics.map((d) => toLspDiagnostic(d, docsBase)), ...coverageDiagnostics(uriToPath(uri), analysis.ast, analysis.text)],
    });
  });
  // A pending run is cancelled by the next change (trailing debounce): while the author types, no
  // analysis starts that the next keystroke would make stale. Analysis is synchronous (by sections,
  // compiler/sections/: one request type read again, ~20-40 ms on a 5,000-line policy; ~80 ms read
  // whole) and cannot be interrupted once it runs, so a run started mid-burst would delay the
  // diagnostics of the last keystroke by its whole length (issue 15: p90 261-311 ms).
  const schedule = (uri: string, delay = debounceMs) => {
    const pending = timers.get(uri);
    if (pending && delay > 0 && performance.now() - pending.since >= MAX_WAIT_MS) return; // long typing still gets diagnostics
    clearTimeout(pending?.timer);
    timers.set(uri, {
      since: pending && delay > 0 ? pending.since : performance.now(),
      timer: setTimeout(() => {
        timers.delete(uri);
        publish(uri);
      }, delay),
    });
  };
  const lastChange = new Map<string, number>();
  /** An isolated edit is analysed after `debounceMs`; a keystroke that follows another soon waits for a pause. */
  const changed = (uri: string) => {
    const now = performance.now();
    const previous = lastChange.get(uri);
    lastChange.set(uri, now);
    schedule(uri, previous !== undefined && now - previous < typingGapMs ? Math.max(debounceMs, typingDebounceMs) : debounceMs);
  };

  const applySettings = (settings: unknown) => {
    const kss = (settings ?? {}) as { severity?: Record<string, string> };
    const severity: KssConfig['severity'] = {};
    for (const [code, level] of Object.entries(kss.severity ?? {})) {
      if (['error', 'warning', 'info', 'hint', 'off'].includes(level)) severity[code] = level as KssConfig['severity'][string];
    }
    if (isDeepStrictEqual(severity, analyses.editorSeverity)) return;
    analyses.editorSeverity = severity;
    analyses.clear();
    for (const document of documents.all()) schedule(document.uri, 0);
  };
  const pullSettings = async () => {
    if (!canPullConfig) return;
    try {
      const [settings] = await connection.workspace.getConfiguration([{ section: 'kss' }]);
      applySettings(settings);
    } catch (error) {
      log(`cannot read settings: ${String(error)}`);
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as ServerOptions;
    if (typeof options.debounceMs === 'number' && options.debounceMs >= 0) debounceMs = options.debounceMs;
    if (typeof options.typingDebounceMs === 'number' && options.typingDebounceMs >= 0) typingDebounceMs = options.typingDebounceMs;
    if (typeof options.typingGapMs === 'number' && options.typingGapMs >= 0) typingGapMs = options.typingGapMs;
    if (typeof options.docsBaseUrl === 'string') docsBase = options.docsBaseUrl.endsWith('/') ? options.docsBaseUrl : `${options.docsBaseUrl}/`;
    if (options.severity) applySettings({ severity: options.severity });
    if (options.formatWarmUp === false) formatWarmUp = false;
    canPullConfig = params.capabilities.workspace?.configuration === true;
    folders = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri));
    if (folders.length === 0 && params.rootUri) folders = [uriToPath(params.rootUri)];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [':', ' ', '-', '[', ','] },
        hoverProvider: true,
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix', 'refactor.rewrite'] },
        inlayHintProvider: true,
        documentFormattingProvider: true,
        definitionProvider: true,
      },
      serverInfo: { name: 'kss-language-server', version: '0.1.0' },
    };
  });
  connection.onInitialized(() => {
    void pullSettings();
    // Only while the author pauses: a round (5-50 ms) that ran between keystrokes would delay the
    // next one's diagnostics by as much (bench/lsp.bench.mjs: change → diagnostics p95 +40 ms).
    const busy = () => timers.size > 0 || performance.now() - Math.max(0, ...lastChange.values()) < QUIET_MS;
    const done = (ms: number) => connection.console.info(`kss: formatter warmed up (${Math.round(ms)} ms)`);
    if (formatWarmUp) stopWarmUp = warmUpFormatter({ busy, failed: (error) => logFailure('warm-up', error), done });
  });
  connection.onDidChangeConfiguration((change) => {
    if (canPullConfig) void pullSettings();
    else applySettings((change.settings as { kss?: unknown } | null)?.kss);
  });

  // The project's .kss.yml (severities) or a kss-coverage.json changed (the client watches both).
  connection.onDidChangeWatchedFiles(() => {
    analyses.clear();
    for (const document of documents.all()) schedule(document.uri, 0);
  });

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => changed(e.document.uri));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri)?.timer);
    timers.delete(e.document.uri);
    lastChange.delete(e.document.uri);
    analyses.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  // Completion and hover read only the text's lines (locate.ts), never a full analysis: they must
  // stay instant on a large policy while the author types.
  const linesOf = (uri: string): string[] | null => documents.get(uri)?.getText().split('\n') ?? null;
  connection.onCompletion(guard('completion', [], (params) => {
    const lines = linesOf(params.textDocument.uri);
    return lines ? completions(lines, params.position.line, params.position.character) : [];
  }));
  connection.onHover(guard('hover', null, (params) => {
    const lines = linesOf(params.textDocument.uri);
    return lines ? hover(lines, params.position.line, params.position.character) : null;
  }));
  connection.onDocumentSymbol(guard('symbols', [], (params) => {
    const analysis = analysisOf(params.textDocument.uri);
    return analysis ? documentSymbols(analyses.astOrLastGood(analysis), analysis.lines.length) : [];
  }));
  connection.onCodeAction(guard('code actions', [], (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    return codeActions(analyses.get(document), params.range, params.context.diagnostics, (p) => document.offsetAt(p));
  }));
  connection.languages.inlayHint.on(guard('inlay hints', [], (params) => inlayHints(analysisOf(params.textDocument.uri)?.ast ?? null, params.range)));
  connection.onDocumentFormatting(guard('formatting', [], (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const text = document.getText();
    // By sections when it can (analysis.ts): an edit formats again only the request type it touched.
    const formatted = analyses.format(document).text;
    if (formatted === null || formatted === text) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(text.length) }, newText: formatted }];
  }));
  connection.onDefinition(guard('definition', null, (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    const analysis = analyses.get(document);
    const target = anchorFor(analyses.documentOf(analysis), analysis.text, document.offsetAt(params.position));
    if (!target || !analysis.ast) return null;
    return { uri: document.uri, range: toLspRange(analysis.ast.lines.range(target[0], target[1])) };
  }));

  connection.onRequest(REQUESTS.ruleIds, guard('ruleIds', null, (params: { uri: string }) => {
    const analysis = analysisOf(params.uri) ?? fromDisk(params.uri);
    return analysis ? ruleIds(analysis) : { uri: params.uri, ruleIds: [], error: 'the document is not open' };
  }));
  connection.onRequest(REQUESTS.normalizedPolicy, guard('normalizedPolicy', null, (params: { uri: string }) => {
    const analysis = analysisOf(params.uri) ?? fromDisk(params.uri);
    return analysis ? normalizedPolicy(analysis) : { uri: params.uri, policy: null, errors: 0, error: 'the document is not open' };
  }));
  connection.onRequest(REQUESTS.checkWorkspace, guard('checkWorkspace', { files: [] }, (params?: { folders?: string[] }) => {
    const roots = params?.folders?.length ? params.folders.map(uriToPath) : folders;
    const files = [];
    for (const path of findPolicyFiles(roots)) {
      const read = readPolicyFile(path);
      if (!read) continue;
      const analysis = analysisOf(read.uri) ?? analyses.analyzeText(read.uri, 0, read.text);
      void connection.sendDiagnostics({ uri: read.uri, diagnostics: analysis.diagnostics.map((d) => toLspDiagnostic(d, docsBase)) });
      files.push(summarise(analysis));
    }
    return { files };
  }));

  function fromDisk(uri: string): Analysis | null {
    if (!uri.startsWith('file:')) return null;
    const read = readPolicyFile(uriToPath(uri));
    return read ? analyses.analyzeText(uri, 0, read.text) : null;
  }

  connection.onShutdown(() => {
    stopWarmUp();
    for (const { timer } of timers.values()) clearTimeout(timer);
    timers.clear();
  });
  documents.listen(connection);
  connection.listen();
}
