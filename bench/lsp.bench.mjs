#!/usr/bin/env node
/**
 * Language-server benchmark (issue 5): how long after a change to a 5,000-line policy its
 * diagnostics arrive, measured at the client, over stdio, against the bundled server with its
 * default debounce (10 ms; so the figure is what an author waits). Target: within 150 ms.
 *
 *   node bench/lsp.bench.mjs [--lines 5000] [--changes 40] [--bursts 20] [--keys 20] [--gap 30] [--formats 10] [--read 1000] [--warm-up off]
 *
 * `--repo DIR`: the language server and front end of the checkout in DIR, with this harness, so that two
 * builds compare on the same session (bench/compare.mjs); `--out FILE`: the JSON written there instead
 * of bench/out/lsp.json.
 *
 * Single changes: each edits one line (alternately breaking and fixing a rule kind) and waits for the
 * publishDiagnostics of that document version. Bursts (issue 15): `--keys` keystrokes `--gap` ms
 * apart, each one character typed into or deleted from a rule kind, and the time from the last
 * keystroke to the diagnostics of the last version (the server may skip the ones between). Then
 * `textDocument/formatting` of the whole (messy) document, each time after a one-line edit: once its
 * diagnostics came, and sent with the edit. Writes bench/out/lsp.json and prints a summary.
 * After the open, the author reads for `--read` ms (default 1000) before the first edit: the server's
 * formatter warm-up (lsp/warm-up.ts) runs in such pauses only. `--warm-up off` starts the server
 * without it (the `formatWarmUp` initialization option), to see what the first format costs cold.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { bigPolicy } from './workloads/lsp-policy.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const LINES = Number(args.lines ?? 5000);
const CHANGES = Number(args.changes ?? 40);
const BURSTS = Number(args.bursts ?? 20);
const KEYS = Number(args.keys ?? 20);
const GAP_MS = Number(args.gap ?? 30);
const FORMATS = Number(args.formats ?? 10);
const WARM_UP = (args['warm-up'] ?? 'on') !== 'off';
/** After the open's diagnostics, the author reads this long before the first edit. */
const READ_MS = Number(args.read ?? 1000);
/** The checkout whose language server and front end are measured. */
const UNDER_TEST = resolve(args.repo ?? REPO);
const OUT = args.out ?? join(REPO, 'bench', 'out', 'lsp.json');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The shared front end alone (in this process): `analyzePolicy` of the whole text, what the server
 * cannot go below when it reads whole, and the analysis by sections (compiler/sections/) after the
 * benchmark's one-line edit in the first and in the last request type, in CPU ms (less sensitive
 * than wall time to a loaded machine).
 */
async function frontEndMs(dir, text, runs = 20) {
  const outfile = join(dir, 'analyze.cjs');
  // A checkout from before the analysis by sections (compiler/sections/) has only the whole one.
  const bySections = existsSync(join(UNDER_TEST, 'compiler', 'sections', 'incremental.ts'));
  // Bundled as the checkout bundles its language server (scripts/yaml-as-modules.mjs, where it has one).
  const aliases = join(UNDER_TEST, 'scripts', 'yaml-as-modules.mjs');
  const alias = existsSync(aliases) ? (await import(pathToFileURL(aliases).href)).yamlAsModules : undefined;
  await build({
    alias,
    absWorkingDir: UNDER_TEST,
    stdin: { contents: `export { analyzePolicy } from './compiler/analyze.ts';${bySections ? " export { IncrementalAnalyzer } from './compiler/sections/incremental.ts';" : ''}`, resolveDir: UNDER_TEST, loader: 'ts' },
    outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning',
  });
  const { analyzePolicy, IncrementalAnalyzer } = createRequire(import.meta.url)(outfile);
  for (let i = 0; i < 5; i++) analyzePolicy(text, 'keyserver.yml');
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    analyzePolicy(text, 'keyserver.yml');
    times.push(performance.now() - t0);
  }
  const cpuMs = (f) => {
    const c = process.cpuUsage();
    f();
    const d = process.cpuUsage(c);
    return (d.user + d.system) / 1000;
  };
  const lines = text.split('\n');
  const cpu = {};
  if (!bySections) return { sorted: times.sort((a, b) => a - b), cpu: null };
  for (const [name, at] of [['first', lines.indexOf('  - - rule: meta-rule')], ['last', lines.lastIndexOf('  - - rule: meta-rule')]]) {
    const analyzer = new IncrementalAnalyzer();
    analyzer.analyze(text, 'keyserver.yml');
    const whole = [];
    const bySections = [];
    for (let i = 0; i < runs; i++) {
      const edited = [...lines];
      edited[at] = i % 2 === 0 ? '  - - rule: meta-rul' : '  - - rule: meta-rule';
      const t = edited.join('\n');
      whole.push(cpuMs(() => analyzePolicy(t, 'keyserver.yml')));
      bySections.push(cpuMs(() => analyzer.analyze(t, 'keyserver.yml')));
    }
    cpu[name] = { wholeCpuMs: summary(whole).p50, bySectionsCpuMs: summary(bySections).p50 };
  }
  return { sorted: times.sort((a, b) => a - b), cpu };
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: Math.round(percentile(sorted, 50)), p90: Math.round(percentile(sorted, 90)), max: Math.round(sorted[sorted.length - 1]) };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'kss-lsp-bench-'));
  const { buildServer } = await import(pathToFileURL(join(UNDER_TEST, 'lsp', 'build.mjs')).href);
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
  await connection.sendRequest('initialize', {
    processId: process.pid, rootUri: null, capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
    // A build before the warm-up ignores the option; it has none either way.
    initializationOptions: WARM_UP ? {} : { formatWarmUp: false },
  });
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
  // The server's idle work (its formatter warm-up, lsp/warm-up.ts) runs in this pause, as it does
  // while an author reads a policy just opened; nothing below is measured during it.
  await sleep(READ_MS);

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
  // Bursts: type `meta-rule` out of `meta-` and back, one character per keystroke; the document ends
  // each burst as it began (clean), so the last version's diagnostics are known.
  const bursts = [];
  let v = CHANGES + 2;
  const word = 'meta-rule';
  for (let b = 0; b < BURSTS; b++) {
    let last;
    for (let k = 0; k < KEYS; k++) {
      const typed = k % (2 * 4) < 4 ? word.slice(0, word.length - 1 - (k % 4)) : word.slice(0, word.length - 4 + (k % 4) + 1);
      const newText = k === KEYS - 1 ? `  - - rule: ${word}` : `  - - rule: ${typed}`;
      last = diagnosticsOf(v);
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line: target, character: 0 }, end: { line: target, character: lines[target].length } }, text: newText }],
      });
      lines[target] = newText;
      v++;
      if (k < KEYS - 1) await sleep(GAP_MS);
    }
    t0 = performance.now();
    const diagnostics = await last;
    bursts.push(performance.now() - t0);
    if (diagnostics.length !== 0) throw new Error(`a burst ends on a clean document, got ${JSON.stringify(diagnostics.slice(0, 2))}`);
    await sleep(200);
  }

  // Formatting: the document is made messy throughout, then each format follows a one-line edit (a
  // trailing space on another `per_day` line), so that each one formats a version never formatted
  // nor read whole before: nothing the server keeps per version can answer it. `formats`: the edit's
  // diagnostics awaited first (the editor's usual state: the analysis by sections is done);
  // `editThenFormat`: the request sent right after the edit, before the debounced analysis.
  const messy = lines.map((l) => (l.startsWith('      per_day:') ? l.replace(': ', ':   ') : l));
  arrived = diagnosticsOf(v);
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v++ }, contentChanges: [{ text: messy.join('\n') }] });
  await arrived;
  const perDay = messy.flatMap((l, i) => (l.startsWith('      per_day:') ? [i] : []));
  let edited = 0;
  const editOneLine = async () => {
    const at = perDay[(edited++ * 37) % perDay.length];
    messy[at] = messy[at].endsWith(' ') ? messy[at].trimEnd() : `${messy[at]} `;
    const version = v++;
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: at, character: 0 }, end: { line: at + 1, character: 0 } }, text: `${messy[at]}\n` }],
    });
    return version;
  };
  const formatNow = async () => {
    const t = performance.now();
    const edits = await connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    if (edits.length !== 1) throw new Error('formatting should rewrite the messy document');
    return performance.now() - t;
  };
  const formats = [];
  const editThenFormat = [];
  for (let i = 0; i < FORMATS; i++) {
    const version = v;
    arrived = diagnosticsOf(version);
    await editOneLine();
    await arrived;
    formats.push(await formatNow());
  }
  for (let i = 0; i < FORMATS; i++) {
    arrived = diagnosticsOf(v);
    await editOneLine();
    editThenFormat.push(await formatNow());
    await arrived;
  }

  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();
  const { sorted: front, cpu } = await frontEndMs(dir, text);
  rmSync(dir, { recursive: true, force: true });

  const sorted = [...times].sort((a, b) => a - b);
  const result = {
    lines: text.split('\n').length - 1,
    changes: CHANGES,
    debounceMs: 10,
    formatWarmUp: WARM_UP,
    readMs: READ_MS,
    openToDiagnosticsMs: Math.round(openMs),
    changeToDiagnosticsMs: {
      p50: Math.round(percentile(sorted, 50)),
      p95: Math.round(percentile(sorted, 95)),
      max: Math.round(sorted[sorted.length - 1]),
    },
    targetMs: 150,
    frontEndAloneMs: { p50: Math.round(percentile(front, 50)), p95: Math.round(percentile(front, 95)) },
    editCpuMs: cpu,
    bursts: { count: BURSTS, keystrokes: KEYS, gapMs: GAP_MS, lastKeystrokeToDiagnosticsMs: summary(bursts) },
    formattingMs: summary(formats),
    editThenFormatMs: summary(editThenFormat),
    // In order: the first format of a version nothing was formatted from yet shows apart from the others.
    formattingSamplesMs: { afterDiagnostics: formats.map(Math.round), withEdit: editThenFormat.map(Math.round) },
  };
  result.withinTarget = result.changeToDiagnosticsMs.p95 <= result.targetMs;
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify({ repo: UNDER_TEST, ...result }, null, 2)}\n`);
  process.stdout.write(
    `lsp: ${result.lines}-line policy, ${CHANGES} one-line changes, debounce ${result.debounceMs} ms, formatter warm-up ${WARM_UP ? 'on' : 'off'}\n` +
      `  open → diagnostics      ${result.openToDiagnosticsMs} ms\n` +
      `  change → diagnostics    p50 ${result.changeToDiagnosticsMs.p50} ms, p95 ${result.changeToDiagnosticsMs.p95} ms, max ${result.changeToDiagnosticsMs.max} ms (target ${result.targetMs} ms: ${result.withinTarget ? 'met' : 'MISSED'})\n` +
      `  burst → diagnostics     p50 ${result.bursts.lastKeystrokeToDiagnosticsMs.p50} ms, p90 ${result.bursts.lastKeystrokeToDiagnosticsMs.p90} ms, max ${result.bursts.lastKeystrokeToDiagnosticsMs.max} ms (${BURSTS} bursts of ${KEYS} keystrokes ${GAP_MS} ms apart; target p90 ${result.targetMs} ms)\n` +
      `  formatting              p50 ${result.formattingMs.p50} ms, p90 ${result.formattingMs.p90} ms, max ${result.formattingMs.max} ms (target ${result.targetMs} ms; each after a one-line edit and its diagnostics)\n` +
      `  first format            ${result.formattingSamplesMs.afterDiagnostics[0]} ms (the first sample above: every request type changed since the last format, all are formatted)\n` +
      `  edit → formatting       p50 ${result.editThenFormatMs.p50} ms, p90 ${result.editThenFormatMs.p90} ms, max ${result.editThenFormatMs.max} ms (the request sent with the edit, before its analysis)\n` +
      `  analyzePolicy alone     p50 ${result.frontEndAloneMs.p50} ms, p95 ${result.frontEndAloneMs.p95} ms (in process, no LSP)\n` +
      (cpu ? `  one-line edit, CPU p50  first request type: whole ${cpu.first.wholeCpuMs} ms, by sections ${cpu.first.bySectionsCpuMs} ms; last: whole ${cpu.last.wholeCpuMs} ms, by sections ${cpu.last.bySectionsCpuMs} ms\n` : ''),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
