#!/usr/bin/env node
/**
 * Server benchmark (issue 4): decisions/s and p50/p99 latency of `kss serve` on SQLite for a
 * stateless policy and for a persistent throttled one, autocannon on the same machine.
 *
 *   npm run build && node bench/server.bench.mjs [--seconds 10] [--connections 32] [--baseline DIR [--baseline-workers N]] [--rounds R] [--loadgen autocannon|wrk] [--shadow] [--workers 1,2] [--out FILE]
 *
 * `--baseline DIR`: also runs each scenario against the kss in DIR (a copy of another build's
 * `bin/` and `dist/` with a package.json, e.g. main's), alternating with this one, so that a
 * before/after comparison is taken in one run on the same (shared, noisy) machine. `--rounds R`
 * repeats every scenario R times, the order of the builds reversed every other round so that a
 * drift of the machine's load does not favour one, and ends with a table of the medians per build.
 * Latencies are every response's own time to the microsecond (bench/latency.mjs), not autocannon's
 * whole-millisecond histogram. `--loadgen wrk` drives the load with wrk (`apt-get install wrk`),
 * which needs a fraction of autocannon's CPU per request (bench/wrk-requests.lua: the same bodies).
 * `--workers` lists the `kss serve --workers` values to run this build with (default 1; the
 * baseline runs as it starts by default, or with `--baseline-workers N`, for a baseline whose
 * default is one per core); the CPU is then that of the primary and its workers.
 *
 * `--shadow` also runs every scenario with a shadow policy (`policy --load --shadow`: the same
 * policy with the throttle's rule id changed and `/finance` for `/finance/*`, so it is decided on
 * every request and disagrees on some), to show what running a shadow costs.
 *
 * Each scenario gets a fresh data directory (created with the real CLI), one `kss serve` process
 * and a warm-up second. Requests cycle over 1,000 profiles so the throttle rows spread out.
 * Writes bench/out/server.json (or `--out FILE`) as well as printing a table. On Linux it also reports the server's
 * CPU time per decision (from /proc), which says what one core could do when the machine is shared.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './latency.mjs';
import { autocannonLoad, cpuSeconds, SCENARIOS } from './load.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KSS = join(REPO, 'bin', 'kss.js');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SECONDS = Number(args.seconds ?? 10);
const CONNECTIONS = Number(args.connections ?? 32);
const WORKERS = String(args.workers ?? '1').split(',').map(Number);
const ROUNDS = Number(args.rounds ?? 1);
const LOADGEN = args.loadgen ?? 'autocannon';
if (!['autocannon', 'wrk'].includes(LOADGEN)) throw new Error(`--loadgen autocannon or wrk, not ${LOADGEN}`);

/** The server's processes: the primary and, with --workers > 1, its workers (Linux). */
function serverCpuSeconds(pid) {
  const children = `/proc/${pid}/task/${pid}/children`;
  const pids = [pid, ...(existsSync(children) ? readFileSync(children, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [])];
  const each = pids.map(cpuSeconds);
  return each.includes(null) ? null : each.reduce((a, b) => a + b, 0);
}

function kss(bin, dir, ...a) {
  return execFileSync(process.execPath, [bin, ...a, '--data-dir', dir], { encoding: 'utf8' }).trim();
}

/** One load run: requests/s, errors, latency percentiles (ms) and the load generator's CPU seconds. */
function run(url, token, seconds) {
  return LOADGEN === 'wrk' ? runWrk(url, token, seconds) : autocannonLoad({ url, token, seconds, connections: CONNECTIONS });
}

/**
 * wrk (Debian's `wrk` package), one thread: a load generator in C that takes a fraction of
 * autocannon's CPU per request, so that on a small machine the server, not the load, is measured.
 * bash's `times` gives wrk's own CPU once it has exited.
 */
function runWrk(url, token, seconds) {
  const script = join(REPO, 'bench', 'wrk-requests.lua');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `wrk -t1 -c${CONNECTIONS} -d${seconds}s -s "$0" "$1" && times`, script, url], { env: { ...process.env, KSS_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK '));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (exit ${code}); is it installed? apt-get install wrk\n${out}`));
      const w = JSON.parse(line.slice(4));
      const [user, sys] = out.trim().split('\n').at(-1).split(/\s+/).map((t) => { const [m, sec] = t.split('m'); return Number(m) * 60 + Number.parseFloat(sec); });
      const ms = (us) => Math.round(us) / 1000;
      resolve({ rate: w.requests / (w.duration_us / 1e6), total: w.requests, errors: w.errors, p50_ms: ms(w.p50_us), p90_ms: ms(w.p90_us), p99_ms: ms(w.p99_us), p99_9_ms: ms(w.p99_9_us), mean_ms: ms(w.mean_us), loadgenCpuSeconds: user + sys });
    });
  });
}

async function scenario(name, policy, bin = KSS, shadow = null, workers = null) {
  const dir = mkdtempSync(join(tmpdir(), 'kss-bench-'));
  try {
    writeFileSync(join(dir, 'policy.yml'), policy);
    kss(bin, dir, 'keyserver', 'create');
    kss(bin, dir, 'keyserver', 'policy', '--load', join(dir, 'policy.yml'));
    if (shadow !== null) {
      writeFileSync(join(dir, 'shadow.yml'), shadow);
      kss(bin, dir, 'keyserver', 'policy', '--load', join(dir, 'shadow.yml'), '--shadow', '--tz', 'UTC');
    }
    kss(bin, dir, 'keyserver', 'enable');
    const token = kss(bin, dir, 'keyserver', 'token', 'create', '--role', 'client');
    const child = spawn(process.execPath, [bin, 'serve', '--data-dir', dir, '--port', '0', '--tz', 'UTC', ...(workers === null ? [] : ['--workers', String(workers)])], { stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise((res) => createInterface({ input: child.stdout }).once('line', (l) => res(JSON.parse(l).listening)));
    await run(url, token, 1); // warm-up: JIT, SQLite page cache
    const cpu0 = serverCpuSeconds(child.pid);
    const r = await run(url, token, SECONDS);
    const cpu1 = serverCpuSeconds(child.pid);
    child.kill('SIGTERM');
    await new Promise((res) => child.on('exit', res));
    return {
      scenario: name,
      decisions_per_s: Math.round(r.rate),
      p50_ms: r.p50_ms, p90_ms: r.p90_ms, p99_ms: r.p99_ms, p99_9_ms: r.p99_9_ms, mean_ms: r.mean_ms,
      errors: r.errors,
      // CPU the server spent per decision: what the machine's other load cannot inflate much, and
      // 1e6 / this is the ceiling of one server process with a whole core to itself.
      server_cpu_us_per_decision: cpu0 === null ? null : Math.round(((cpu1 - cpu0) * 1e6) / r.total),
      server_cpu_share: cpu0 === null ? null : Number(((cpu1 - cpu0) / SECONDS).toFixed(2)),
      // What the load generator takes of the same cores: more workers can only answer more
      // while a decision costs the server more than a request costs the load generator.
      loadgen_cpu_us_per_request: Math.round((r.loadgenCpuSeconds * 1e6) / r.total),
      total: r.total,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SHADOW = 'shadow' in args;
const shadowOf = (policy) => policy.replace('"/finance/*"', '"/finance"').replace('bench-daily', 'bench-daily-shadow');
const BASELINE = args.baseline ? join(resolve(args.baseline), 'bin', 'kss.js') : null;
const BASELINE_WORKERS = args['baseline-workers'] === undefined ? null : Number(args['baseline-workers']);
const results = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, policy] of Object.entries(SCENARIOS)) {
    const runs = [];
    if (BASELINE) runs.push(async () => results.push({ round, build: 'baseline', ...(await scenario(name, policy, BASELINE, null, BASELINE_WORKERS)) }));
    for (const w of WORKERS) {
      runs.push(async () => {
        results.push({ round, ...(BASELINE ? { build: 'this' } : {}), workers: w, ...(await scenario(name, policy, KSS, null, w)) });
        // Beside the same number of workers, so the two rows differ by the shadow policy only.
        if (SHADOW) results.push({ round, workers: w, ...(await scenario(name, policy, KSS, shadowOf(policy), w)), scenario: `${name} + shadow` });
      });
    }
    for (const go of round % 2 ? runs.reverse() : runs) await go();
  }
}
console.table(results);
const medians = ROUNDS > 1 ? summarise(results) : [];
if (ROUNDS > 1) {
  console.log(`medians over ${ROUNDS} rounds:`);
  console.table(medians);
}
const OUT = args.out ?? join(REPO, 'bench', 'out', SHADOW ? 'server-shadow.json' : 'server.json');
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, loadgen: LOADGEN, workers: WORKERS, rounds: ROUNDS, results, medians }, null, 2)}\n`);

/** One row per build, scenario and worker count: the median of each figure over the rounds. */
function summarise(rows) {
  const groups = new Map();
  for (const r of rows) {
    const key = `${r.build ?? ''}|${r.scenario}|${r.workers ?? ''}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  const figures = ['decisions_per_s', 'p50_ms', 'p90_ms', 'p99_ms', 'p99_9_ms', 'mean_ms', 'server_cpu_us_per_decision', 'loadgen_cpu_us_per_request'];
  return [...groups.values()].map((g) => ({
    build: g[0].build, scenario: g[0].scenario, workers: g[0].workers, rounds: g.length,
    ...Object.fromEntries(figures.map((f) => [f, g.some((r) => r[f] === null) ? null : Math.round(median(g.map((r) => r[f])) * 1000) / 1000])),
  }));
}
