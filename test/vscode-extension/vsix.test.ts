/**
 * Builds the extension package the way CI does (`npm run package` in vscode-extension/), opens the
 * .vsix and checks its manifest, then runs the server bundled inside it from a folder with no
 * node_modules anywhere above it, to prove the package is self-contained.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { REPO_DIR } from '../support/shared.js';
import { readZip } from './zip.js';

const EXTENSION_DIR = join(REPO_DIR, 'vscode-extension');
const VSIX = join(EXTENSION_DIR, 'kss-keyserver.vsix');
let files: Map<string, Buffer>;
const scratch = mkdtempSync(join(tmpdir(), 'kss-vsix-'));

beforeAll(() => {
  rmSync(VSIX, { force: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['run', '--silent', 'package'], { cwd: EXTENSION_DIR, stdio: 'pipe', timeout: 120_000 });
  files = readZip(readFileSync(VSIX));
}, 150_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the .vsix', () => {
  it('has a manifest that declares the language, its files, settings and commands', () => {
    const manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8'));
    expect(manifest.main).toBe('./dist/extension.js');
    expect(manifest.engines.vscode).toMatch(/^\^1\.\d+/);
    const language = manifest.contributes.languages.find((l: { id: string }) => l.id === 'keyserver-policy');
    expect(language.filenames).toContain('keyserver.yml');
    expect(language.filenamePatterns).toContain('*.keyserver.yml');
    expect(Object.keys(manifest.contributes.configuration.properties)).toEqual(['kss.severity', 'kss.formatWarmUp', 'kss.trace.server']);
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command)).toEqual(
      expect.arrayContaining(['kss.checkWorkspace', 'kss.showRuleIds', 'kss.dumpNormalizedPolicy']),
    );
    const vsixManifest = files.get('extension.vsixmanifest')!.toString('utf8');
    expect(vsixManifest).toContain('Id="kss-keyserver"');
    expect(files.has('extension/readme.md')).toBe(true);
    expect(files.has('extension/schemas/keyserver.schema.json')).toBe(true);
    // The diagnostics link to pages shipped inside the package.
    expect(files.get('extension/docs/diagnostics/KSS1103.md')!.toString('utf8')).toContain('KSS1103');
    // A thin client: no node_modules, no sources.
    expect([...files.keys()].filter((f) => f.includes('node_modules') || f.endsWith('.ts'))).toEqual([]);
    expect(files.get('extension/dist/extension.js')!.toString('utf8')).toContain('kss/ruleIds');
  });

  it('has a client bundle that loads with nothing but the `vscode` module and exports activate/deactivate', () => {
    writeFileSync(join(scratch, 'extension.js'), files.get('extension/dist/extension.js')!);
    // Stands in for the editor's `vscode` module: every property and call yields itself.
    writeFileSync(join(scratch, 'load.cjs'), [
      "const Module = require('module');",
      "const stub = new Proxy(function () {}, { get: (t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : stub), apply: () => stub, construct: () => stub });",
      'const load = Module._load;',
      "Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };",
      "const ext = require('./extension.js');",
      'process.stdout.write(`${typeof ext.activate} ${typeof ext.deactivate}`);',
    ].join('\n'));
    expect(execFileSync(process.execPath, [join(scratch, 'load.cjs')], { cwd: scratch, encoding: 'utf8' })).toBe('function function');
  });

  it('bundles a language server that runs on its own and reports diagnostics', async () => {
    const server = join(scratch, 'server.cjs');
    writeFileSync(server, files.get('extension/dist/server.cjs')!);
    const child = spawn(process.execPath, [server, '--stdio'], { cwd: scratch, stdio: 'pipe' });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const published = new Promise<Array<{ code: string; range: { start: { line: number } } }>>((resolve) => {
      connection.onNotification('textDocument/publishDiagnostics', (p: { diagnostics: Array<{ code: string; range: { start: { line: number } } }> }) => resolve(p.diagnostics));
    });
    connection.listen();
    try {
      const init = await connection.sendRequest<{ serverInfo: { name: string } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      expect(init.serverInfo.name).toBe('kss-language-server');
      await connection.sendNotification('initialized', {});
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: 'file:///tmp/x/keyserver.yml', languageId: 'keyserver-policy', version: 1, text: 'decrypt:\n  - - rule: aprove-rule\n' },
      });
      const diagnostics = await published;
      expect(diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['KSS1103', 1]]);
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
    } finally {
      connection.dispose();
      child.kill();
    }
  });
});
