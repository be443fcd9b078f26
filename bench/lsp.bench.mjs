#!/usr/bin/env node
/**
 * Language-server benchmark (issue 5): how long after a change to a 5,000-line policy its
 * diagnostics arrive, measured at the client, over stdio, against the bundled server with its
 * default debounce (10 ms; so the figure is what an author waits). Target: within 150 ms.
 *
 *   node bench/lsp.bench.mjs [--lines 5000] [--changes 40]
 *
 * Each change edits one line (alternately breaking and fixing a rule kind) and waits for the
 * publishDiagnostics of that document version. Writes bench/out/lsp.json and prints a summary.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { buildServer } from '../lsp/build.mjs';
import { bigPolicy } from './workloads/lsp-policy.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const LINES = Number(args.lines ?? 5000);
const CHANGES = Number(args.changes ?? 40);

/** The shared front end alone (compiler/analyze.ts, in this process): what the server cannot go below. */
async function frontEndMs(dir, text, runs = 20) {
  const outfile = join(dir, 'analyze.cjs');
  await build({ absWorkingDir: REPO, entryPoints: ['compiler/analyze.ts'], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
  const { analyzePolicy } = createRequire(import.meta.url)(outfile);
  for (let i = 0; i < 5; i++) analyzePolicy(text, 'keyserver.yml');
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    analyzePolicy(text, 'keyserver.yml');
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kss-lsp-bench-'));
  const server = await buildServer(join(dir, 'server.cjs'));
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    const wake = waiting.get(p.version);
    if (wake) {
      waiting.delete(p.version);
      wake(p.diagnostics);
    }
  });
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } } });
  await connection.sendNotification('initialized', {});

  const uri = 'file:///bench/keyserver.yml';
  const text = bigPolicy(LINES);
  const lines = text.split('\n');
  const target = lines.findIndex((l) => l === '  - - rule: meta-rule');
  const diagnosticsOf = (version) => new Promise((resolve) => waiting.set(version, resolve));

  let t0 = performance.now();
  let arrived = diagnosticsOf(1);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'keyserver-policy', version: 1, text } });
  const initial = await arrived;
  const openMs = performance.now() - t0;
  if (initial.length !== 0) throw new Error(`the generated policy should be clean, got ${JSON.stringify(initial.slice(0, 3))}`);

  const times = [];
  for (let v = 2; v < CHANGES + 2; v++) {
    const broken = v % 2 === 0;
    const newText = broken ? '  - - rule: meta-rul' : '  - - rule: meta-rule';
    arrived = diagnosticsOf(v);
    t0 = performance.now();
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start: { line: target, character: 0 }, end: { line: target, character: lines[target].length } }, text: newText }],
    });
    const diagnostics = await arrived;
    times.push(performance.now() - t0);
    lines[target] = newText;
    if (broken !== diagnostics.some((d) => d.code === 'KSS1103')) throw new Error(`wrong diagnostics for version ${v}`);
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();
  const front = await frontEndMs(dir, text);
  rmSync(dir, { recursive: true, force: true });

  const sorted = [...times].sort((a, b) => a - b);
  const result = {
    lines: text.split('\n').length - 1,
    changes: CHANGES,
    debounceMs: 10,
    openToDiagnosticsMs: Math.round(openMs),
    changeToDiagnosticsMs: {
      p50: Math.round(percentile(sorted, 50)),
      p95: Math.round(percentile(sorted, 95)),
      max: Math.round(sorted[sorted.length - 1]),
    },
    targetMs: 150,
    frontEndAloneMs: { p50: Math.round(percentile(front, 50)), p95: Math.round(percentile(front, 95)) },
  };
  result.withinTarget = result.changeToDiagnosticsMs.p95 <= result.targetMs;
  mkdirSync(join(REPO, 'bench', 'out'), { recursive: true });
  writeFileSync(join(REPO, 'bench', 'out', 'lsp.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `lsp: ${result.lines}-line policy, ${CHANGES} one-line changes, debounce ${result.debounceMs} ms\n` +
      `  open → diagnostics      ${result.openToDiagnosticsMs} ms\n` +
      `  change → diagnostics    p50 ${result.changeToDiagnosticsMs.p50} ms, p95 ${result.changeToDiagnosticsMs.p95} ms, max ${result.changeToDiagnosticsMs.max} ms (target ${result.targetMs} ms: ${result.withinTarget ? 'met' : 'MISSED'})\n` +
      `  analyzePolicy alone     p50 ${result.frontEndAloneMs.p50} ms, p95 ${result.frontEndAloneMs.p95} ms (in process, no LSP)\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
