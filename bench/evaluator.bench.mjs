#!/usr/bin/env node
/**
 * Evaluator benchmark (issue 3) on the "N per-profile rule sets" workload (bench/workloads/per-profile.mjs):
 * - optimised p50 decision time at N = 10,000 within 1.5x of the one at N = 10 (issue 15; issue 3 asked 3x);
 * - at N = 1,000 the optimised program decides at least 50x as many requests/s as the plain interpreter.
 *
 *   npm run build && node bench/evaluator.bench.mjs [--seconds 2] [--rounds 3] [--repo DIR] [--out FILE]
 *
 * `--repo DIR`: measures the build in DIR (another checkout, built) with this harness, so that two
 * builds compare on the same workload (bench/compare.mjs); `--out FILE`: the JSON written there
 * instead of bench/out/evaluator.json.
 *
 * Each policy is compiled once with `kss compile` (the artifact is what a server loads), then measured
 * with `kss bench --format json`, each measurement in its own process. The configurations are run in
 * interleaved rounds and the best round of each is kept: on a shared machine other load only ever
 * makes a run slower, so the best round is the closest to the engine's own cost.
 * Writes bench/out/evaluator.json and prints a table; exits 1 when a target is missed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option } from './args.mjs';
import { writeWorkload } from './workloads/per-profile.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KSS = join(resolve(option('--repo', REPO)), 'bin', 'kss.js');
const OUT = option('--out', join(REPO, 'bench', 'out', 'evaluator.json'));
const SECONDS = Number(option('--seconds', 2)) || 2;
const ROUNDS = Number(option('--rounds', 3)) || 3;

const work = mkdtempSync(join(tmpdir(), 'kss-bench-'));
const results = [];
try {
  const configs = [];
  for (const n of [10, 1000, 10000]) {
    const { policy, requests } = writeWorkload(n, work);
    const artifact = join(work, `per-profile-${n}.json`);
    const t0 = performance.now();
    execFileSync(process.execPath, [KSS, 'compile', policy, '-o', artifact], { stdio: ['ignore', 'ignore', 'ignore'] });
    const compileSeconds = Math.round((performance.now() - t0) / 100) / 10;
    for (const engine of n === 10000 ? ['optimized'] : ['optimized', 'plain']) configs.push({ n, engine, artifact, requests, compileSeconds, runs: [] });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of configs) {
      const out = execFileSync(process.execPath, [KSS, 'bench', '-p', c.artifact, '-r', c.requests, '--engine', c.engine, '--seconds', String(SECONDS), '--format', 'json'], { encoding: 'utf8' });
      const last = JSON.parse(out.trim().split('\n').pop());
      c.runs.push(last);
      process.stderr.write(`round ${round + 1} N=${c.n} ${c.engine}: ${last.decisions_per_second} decisions/s, p50 ${last.p50_us} µs, p99 ${last.p99_us} µs\n`);
    }
  }
  for (const c of configs) {
    const best = (key, pick) => pick(...c.runs.map((r) => r[key]));
    results.push({
      n: c.n, engine: c.engine, compile_seconds: c.compileSeconds, rounds: c.runs.length,
      decisions_per_second: best('decisions_per_second', Math.max), p50_us: best('p50_us', Math.min), p99_us: best('p99_us', Math.min),
      runs: c.runs,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const find = (n, engine) => results.find((r) => r.n === n && r.engine === engine);
const scaling = find(10000, 'optimized').p50_us / find(10, 'optimized').p50_us;
const speedup = find(1000, 'optimized').decisions_per_second / find(1000, 'plain').decisions_per_second;
const targets = {
  p50_ratio_n10000_vs_n10: { value: Math.round(scaling * 100) / 100, target: '<= 1.5', ok: scaling <= 1.5 },
  optimized_vs_plain_at_n1000: { value: Math.round(speedup * 10) / 10, target: '>= 50', ok: speedup >= 50 },
};

console.log('N       engine     decisions/s   p50 µs   p99 µs   compile s');
for (const r of results) {
  console.log(`${String(r.n).padEnd(8)}${r.engine.padEnd(11)}${String(r.decisions_per_second).padStart(11)}   ${String(r.p50_us).padStart(6)}   ${String(r.p99_us).padStart(6)}   ${String(r.compile_seconds).padStart(6)}`);
}
for (const [name, t] of Object.entries(targets)) console.log(`${t.ok ? 'ok  ' : 'MISS'} ${name}: ${t.value} (target ${t.target})`);

mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ kss: KSS, seconds: SECONDS, rounds: ROUNDS, node: process.version, results, targets }, null, 2)}\n`);
process.exitCode = Object.values(targets).every((t) => t.ok) ? 0 : 1;
