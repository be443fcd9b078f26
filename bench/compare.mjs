#!/usr/bin/env node
/**
 * Issue 15's targets for this build and a baseline in one run: the same harnesses (this checkout's
 * bench/ scripts) measure both builds, alternated, the order reversed every other round so that a
 * drift of the machine's load favours neither. Prints one table of medians against the targets and
 * writes bench/out/compare.json (the benchmarks' own output in bench/out/compare.log); exits 1 when
 * this build misses a target.
 *
 *   npm run build && node bench/compare.mjs --baseline DIR [--rounds 3] [--seconds 6] [--loadgen autocannon|wrk] [--lsp-rounds 2]
 *
 * DIR: another checkout, built (`git worktree add DIR <commit> && cp -a node_modules DIR/ &&
 * (cd DIR && npm run build)`), e.g. the main before issue 15 (862b4ac).
 * - server (bench/server.bench.mjs --baseline): CPU per decision with one process, and this build's
 *   `--workers 1,2` (the baseline runs as it starts by default);
 * - evaluator (bench/evaluator.bench.mjs --repo): p50 at N=10,000 over p50 at N=10, per round;
 * - language server (bench/lsp.bench.mjs --repo): bursts, formatting, single changes.
 * About 4 minutes per round on a 2-core machine, plus 2 per language-server round.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option } from './args.mjs';
import { median } from './latency.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = option('--baseline', null);
if (!BASELINE) {
  process.stderr.write('usage: node bench/compare.mjs --baseline DIR [--rounds 3] [--seconds 6] [--loadgen autocannon|wrk] [--lsp-rounds 2]\n');
  process.exit(2);
}
const ROUNDS = Number(option('--rounds', 3));
const SECONDS = Number(option('--seconds', 6));
const LOADGEN = option('--loadgen', 'autocannon');
const LSP_ROUNDS = Number(option('--lsp-rounds', 2));
const BUILDS = { baseline: resolve(BASELINE), this: REPO };
const work = mkdtempSync(join(tmpdir(), 'kss-compare-'));

const LOG = join(REPO, 'bench', 'out', 'compare.log');
mkdirSync(dirname(LOG), { recursive: true });
writeFileSync(LOG, '');

/**
 * Runs one of this checkout's benchmarks and reads the JSON it wrote; its output (and the servers'
 * logs) goes to bench/out/compare.log. Exit 1 is a benchmark's missed target, still a result.
 */
function bench(script, args, out) {
  const argv = [join(REPO, 'bench', script), ...args, '--out', out];
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  appendFileSync(LOG, `$ node ${argv.join(' ')}\n${r.stdout}${r.stderr}\n`);
  if (r.status !== 0 && !(r.status === 1 && existsSync(out))) {
    throw new Error(`${script} failed (exit ${r.status ?? r.signal}); its output is in ${LOG}`);
  }
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** The builds in this round's order: reversed every other round. */
const order = (round) => (round % 2 ? ['this', 'baseline'] : ['baseline', 'this']);
/** To two decimals. */
const hundredths = (x) => Math.round(x * 100) / 100;

try {
  process.stderr.write(`server: ${ROUNDS} rounds of ${SECONDS} s per scenario and build (${LOADGEN})\n`);
  const server = bench('server.bench.mjs', ['--seconds', String(SECONDS), '--rounds', String(ROUNDS), '--baseline', BUILDS.baseline, '--workers', '1,2', '--loadgen', LOADGEN], join(work, 'server.json'));

  const evaluator = { baseline: [], this: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const build of order(round)) {
      process.stderr.write(`evaluator: round ${round + 1}, ${build}\n`);
      const r = bench('evaluator.bench.mjs', ['--repo', BUILDS[build], '--rounds', '1', '--seconds', '2'], join(work, `evaluator-${build}-${round}.json`));
      const p50 = (n) => r.results.find((x) => x.n === n && x.engine === 'optimized').p50_us;
      evaluator[build].push({ n10: p50(10), n10000: p50(10000), ratio: p50(10000) / p50(10) });
    }
  }

  const lsp = { baseline: [], this: [] };
  for (let round = 0; round < LSP_ROUNDS; round++) {
    for (const build of order(round)) {
      process.stderr.write(`language server: round ${round + 1}, ${build}\n`);
      lsp[build].push(bench('lsp.bench.mjs', ['--repo', BUILDS[build], '--bursts', '5', '--keys', '20', '--gap', '30', '--changes', '20', '--formats', '10'], join(work, `lsp-${build}-${round}.json`)));
    }
  }

  /** The medians over the rounds of one build, scenario and worker count (the baseline's one process). */
  const serverRow = (build, scenario, workers) => {
    const runs = server.results.filter((r) => r.build === build && r.scenario === scenario && (build === 'baseline' || r.workers === workers));
    const of = (key) => Math.round(median(runs.map((r) => r[key])));
    return runs.length === 0 ? null : { decisions_per_s: of('decisions_per_s'), server_cpu_us_per_decision: of('server_cpu_us_per_decision') };
  };
  const pairs = (scenario) => {
    const rate = (round, w) => server.results.find((r) => r.build === 'this' && r.round === round && r.scenario === scenario && r.workers === w)?.decisions_per_s;
    const won = [...Array(ROUNDS).keys()].filter((round) => rate(round, 2) > rate(round, 1)).length;
    return `${won} of ${ROUNDS}`;
  };
  const evalMedian = (build, key) => hundredths(median(evaluator[build].map((r) => r[key])));
  const lspMedian = (build, pick) => Math.round(median(lsp[build].map(pick)));
  const rows = [];
  const add = (what, target, baseline, current, met) => rows.push({ what, target, baseline, this: current, met: met === null ? '' : met ? 'met' : 'MISSED' });
  for (const [scenario, target] of [['stateless', 35], ['throttled-persistent', 45]]) {
    const b = serverRow('baseline', scenario)?.server_cpu_us_per_decision;
    const t = serverRow('this', scenario, 1)?.server_cpu_us_per_decision;
    add(`server CPU µs/decision, ${scenario}, 1 process`, `≤ ${target}`, b, t, t <= target);
  }
  for (const scenario of ['stateless', 'throttled-persistent']) {
    const one = serverRow('this', scenario, 1);
    const two = serverRow('this', scenario, 2);
    const won = pairs(scenario);
    add(`decisions/s ${scenario}, this build 1 → 2 workers (µs/decision)`, '2 > 1 in every round', `${serverRow('baseline', scenario)?.decisions_per_s}/s`,
      `${one?.decisions_per_s} → ${two?.decisions_per_s}/s (${one?.server_cpu_us_per_decision} → ${two?.server_cpu_us_per_decision}), 2 > 1 in ${won}`, won === `${ROUNDS} of ${ROUNDS}`);
  }
  const ratioTarget = (build) => evaluator[build].every((r) => r.ratio <= 1.5);
  const ratios = (build) => `${evalMedian(build, 'ratio')} (rounds ${evaluator[build].map((r) => hundredths(r.ratio)).join(', ')}; p50 ${evalMedian(build, 'n10')} → ${evalMedian(build, 'n10000')} µs)`;
  add('evaluator p50 N=10,000 / N=10', '≤ 1.5 in every round', ratios('baseline'), ratios('this'), ratioTarget('this'));
  const lspRows = [
    ['language server: burst → diagnostics p90 ms', (r) => r.bursts.lastKeystrokeToDiagnosticsMs.p90],
    ['language server: formatting p50 ms', (r) => r.formattingMs.p50],
    ['language server: formatting p90 ms', (r) => r.formattingMs.p90],
    ['language server: change → diagnostics p95 ms', (r) => r.changeToDiagnosticsMs.p95],
  ];
  for (const [what, pick] of lspRows) add(what, '≤ 150', lspMedian('baseline', pick), lspMedian('this', pick), lspMedian('this', pick) <= 150);

  console.log(`this build (${REPO}) against ${BUILDS.baseline}: medians over ${ROUNDS} rounds (language server: ${LSP_ROUNDS})`);
  // A Markdown table: it goes into bench/README.md as printed.
  console.log('| what | target | baseline | this build | |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.what} | ${r.target} | ${r.baseline} | ${r.this} | ${r.met} |`);
  mkdirSync(join(REPO, 'bench', 'out'), { recursive: true });
  writeFileSync(join(REPO, 'bench', 'out', 'compare.json'), `${JSON.stringify({ baseline: BUILDS.baseline, rounds: ROUNDS, seconds: SECONDS, loadgen: LOADGEN, rows, server, evaluator, lsp }, null, 2)}\n`);
  process.exitCode = rows.every((r) => r.met !== 'MISSED') ? 0 : 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
