/**
 * A real LSP client for the tests: spawns the bundled server (`node server.cjs --stdio`) and talks
 * JSON-RPC to it with vscode-jsonrpc, the library VS Code's own client is built on.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { execFileSync } from 'node:child_process';
import { REPO_DIR } from '../support/shared.js';

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  message: string;
  source: string;
  codeDescription?: { href: string };
  data?: unknown;
}

let built: Promise<string> | null = null;
let builtDir: string | null = null;

/** Removes this process's server bundle (call from afterAll; the next test file rebuilds it). */
export function removeServerBundle(): void {
  if (builtDir) rmSync(builtDir, { recursive: true, force: true });
  builtDir = null;
  built = null;
}

/** Builds the server bundle once per test process, into a temporary folder. */
export function serverBundle(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kss-lsp-'));
    builtDir = dir;
    const out = join(dir, 'server.cjs');
    execFileSync(process.execPath, [join(REPO_DIR, 'lsp', 'build.mjs'), out], { cwd: REPO_DIR, stdio: 'inherit' });
    return out;
  })();
  return built;
}

export class TestClient {
  readonly diagnostics = new Map<string, LspDiagnostic[]>();
  /** Every publishDiagnostics received, in order: which document versions the server analysed. */
  readonly published: Array<{ uri: string; version?: number }> = [];
  private readonly waiters: Array<() => void> = [];
  stderr = '';
  /** The server's window/logMessage lines, in order. */
  readonly logs: string[] = [];
  /** What the client answers for the `kss` settings section (workspace/configuration). */
  settings: { severity: Record<string, string> } = { severity: {} };
  exited: number | null = null;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
  ) {
    connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; version?: number; diagnostics: LspDiagnostic[] }) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.published.push({ uri: params.uri, version: params.version });
      for (const wake of this.waiters.splice(0)) wake();
    });
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    connection.onRequest('client/registerCapability', () => null);
    connection.onNotification('window/logMessage', (params: { message: string }) => void this.logs.push(params.message));
    process.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    process.on('exit', (code) => (this.exited = code ?? -1));
  }

  /** `command` defaults to the bundled server; pass e.g. `[bin/kss.js, 'lsp', '--stdio']` for the CLI. */
  static async start(initializationOptions: Record<string, unknown> = {}, rootUri: string | null = null, command?: string[]): Promise<TestClient> {
    const args = command ?? [await serverBundle(), '--stdio'];
    const child = spawn(process.execPath, args, { stdio: 'pipe' });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new TestClient(child, connection);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'root' }] : null,
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions: { debounceMs: 10, docsBaseUrl: 'https://docs.example/diagnostics/', ...initializationOptions },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'keyserver-policy', version, text } });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Resolves with the first published diagnostics for `uri` that satisfy `accept`. */
  async diagnosticsFor(uri: string, accept: (d: LspDiagnostic[]) => boolean = () => true, timeoutMs = 10_000): Promise<LspDiagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && accept(current)) return current;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(current)}\nserver stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Clears what was received for `uri`, so the next wait sees only new diagnostics. */
  forget(uri: string): void {
    this.diagnostics.delete(uri);
  }

  async stop(): Promise<void> {
    try {
      await this.request('shutdown', null);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.exited !== null) return resolve();
      const timer = setTimeout(() => {
        this.process.kill();
        resolve();
      }, 2000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}
