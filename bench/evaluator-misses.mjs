#!/usr/bin/env node
/**
 * Cache misses per decision of the optimised evaluator on the per-profile workload (issue 15), from
 * callgrind's cache simulation: instruction and miss counts do not depend on what else the machine
 * runs, so two builds compare on a loaded host where p50 timings cannot (bench/README.md).
 *
 *   npm run build && node bench/evaluator-misses.mjs [--n 10,10000] [--decisions 20000] [--functions 12]
 *
 * Needs valgrind (callgrind_control, callgrind_annotate). Per N: the program is loaded and warmed up
 * (200,000 decisions, then a full GC) with instrumentation off; then exactly --decisions decisions are
 * counted. Prints Ir, D1 read misses and last-level read misses per decision over every function but
 * V8's own C++ (the garbage collector's sweeping and the optimising compiler, which run on the main
 * thread under valgrind): the JIT code, builtins (Map lookups, string compares) and libc.
 * `--functions K` also lists, per N, the K functions with the most D1 read misses (where they come from).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWorkload } from './workloads/per-profile.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);

if (argv[0] === '--child') {
  // The measured process: [--child, bundle, artifact, requests, decisions, signal dir].
  const [, bundle, artifact, requestsFile, count, dir] = argv;
  const ev = await import(bundle);
  const zone = ev.parseZone('UTC');
  const program = ev.loadProgram(JSON.parse(readFileSync(artifact, 'utf8')));
  const reqs = [];
  const ctxs = [];
  for (const line of readFileSync(requestsFile, 'utf8').split('\n')) {
    if (!line) continue;
    const { at, ...req } = JSON.parse(line);
    reqs.push(req);
    ctxs.push({ at: ev.parseInstant(at, zone), zone });
  }
  const quota = new ev.MemoryQuota();
  let i = 0;
  const step = () => {
    program.decide(reqs[i], ctxs[i], quota);
    if (++i === reqs.length) i = 0;
  };
  globalThis.gc();
  for (let k = 0; k < 200000; k++) step();
  globalThis.gc();
  writeFileSync(join(dir, 'ready'), '');
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(join(dir, 'go'))) Atomics.wait(pause, 0, 0, 20);
  for (let k = 0; k < Number(count); k++) step();
  process.exit(0);
}

const ns = arg('--n', '10,10000').split(',').map(Number);
const decisions = Number(arg('--decisions', '20000'));
const functions = Number(arg('--functions', '0'));
const work = mkdtempSync(join(tmpdir(), 'kss-misses-'));
try {
  // loadProgram and MemoryQuota straight from the sources: the CLI bundle does not export them.
  const entry = join(work, 'entry.ts');
  writeFileSync(entry, `export { loadProgram, MemoryQuota } from '${join(REPO, 'runtime/evaluator/index.ts')}';\nexport { parseZone, parseInstant } from '${join(REPO, 'runtime/time/index.ts')}';\n`);
  const bundle = join(work, 'evaluator.mjs');
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'warning' });
  console.log('N        Ir/decision   D1 read misses/decision   LL read misses/decision');
  for (const n of ns) {
    const { policy, requests } = writeWorkload(n, work);
    const artifact = join(work, `per-profile-${n}.json`);
    execFileSync(process.execPath, [join(REPO, 'bin', 'kss.js'), 'compile', policy, '-o', artifact], { stdio: 'ignore' });
    const signals = mkdtempSync(join(work, 'signal-'));
    const out = join(work, `callgrind-${n}.out`);
    const child = spawn('valgrind', ['--tool=callgrind', '--instr-atstart=no', '--cache-sim=yes', '--smc-check=all-non-file', `--callgrind-out-file=${out}`,
      process.execPath, '--single-threaded', '--expose-gc', fileURLToPath(import.meta.url), '--child', bundle, artifact, requests, String(decisions), signals], { stdio: 'ignore' });
    const exited = new Promise((ok) => child.on('exit', ok));
    while (!existsSync(join(signals, 'ready'))) await new Promise((ok) => setTimeout(ok, 200));
    execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' });
    writeFileSync(join(signals, 'go'), '');
    await exited;
    const sums = [0, 0, 0];
    const rows = [];
    let table = false;
    for (const line of execFileSync('callgrind_annotate', ['--threshold=100', out], { encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n')) {
      if (line.includes('file:function')) { table = true; continue; }
      if (table && line.trim() === '') break; // the function table ends here (auto-annotation follows)
      const cols = line.replace(/\( *[0-9.]+%\)/g, '').trim().split(/\s+/);
      if (!table || cols.length < 10 || line.includes('v8::internal::')) continue;
      const num = (s) => (s === '.' ? 0 : Number(s.replace(/,/g, '')));
      sums[0] += num(cols[0]); // Ir
      sums[1] += num(cols[4]); // D1mr
      sums[2] += num(cols[7]); // DLmr
      rows.push({ d1: num(cols[4]), ir: num(cols[0]), name: cols.slice(9).join(' ') });
    }
    const per = sums.map((s) => (s / decisions).toFixed(1));
    console.log(`${String(n).padEnd(9)}${per[0].padStart(11)}   ${per[1].padStart(23)}   ${per[2].padStart(23)}`);
    for (const r of rows.sort((a, b) => b.d1 - a.d1).slice(0, functions)) {
      console.log(`         ${(r.ir / decisions).toFixed(1).padStart(11)}   ${(r.d1 / decisions).toFixed(2).padStart(23)}   ${r.name.slice(0, 90)}`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
