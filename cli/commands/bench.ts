/**
 * `kss bench --policy P --requests R.jsonl [--engine plain|optimized] [--seconds S] [--format json]`:
 * cycles through the requests with in-memory quotas. Half the time measures throughput (batches, no
 * per-decision clock reads), half measures each decision for the percentiles. With `--format json`
 * the last line is `{decisions, seconds, decisions_per_second, p50_us, p99_us, ...}`.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { MemoryQuota } from '../../runtime/evaluator/index.js';
import type { DecisionProgram, EngineName } from '../../runtime/evaluator/index.js';
import type { EvalContext, KssRequest } from '../../runtime/evaluator/types.js';
import { instantFromMs, type Instant, type Zone } from '../../runtime/time/index.js';
import { CliError, EXIT } from '../errors.js';
import { checkZone, display, ENGINES, loadPolicy, parseMoment, readText } from './eval.js';

export interface BenchOptions {
  policy: string;
  requests: string;
  engine: EngineName;
  seconds: number;
  tz?: string;
  format: 'text' | 'json';
}

export interface BenchResult {
  engine: EngineName;
  requests: number;
  decisions: number;
  approved: number;
  seconds: number;
  decisions_per_second: number;
  p50_us: number;
  p99_us: number;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description('measure decisions per second and latency percentiles on a request file')
    .requiredOption('-p, --policy <file>', 'keyserver.yml (or an artifact from `kss compile`)')
    .requiredOption('-r, --requests <file>', 'JSON Lines requests (optional `at` each), cycled through')
    .addOption(new Option('--engine <engine>', 'evaluator').choices(ENGINES).default('optimized'))
    .option('--seconds <s>', 'measuring time', (v) => positive(v), 3)
    .option('--tz <zone>', "the server's time zone (default UTC, so runs compare across machines)", 'UTC')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: BenchOptions) => {
      const result = runBench(opts);
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(result)}\n` : benchText(result, opts));
    });
}

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`--seconds must be a positive number, not \`${v}\``, EXIT.usage);
  return n;
}

export function loadRequests(path: string, zone: Zone): Array<{ req: KssRequest; at: Instant | null }> {
  const out: Array<{ req: KssRequest; at: Instant | null }> = [];
  readText(path, 'requests').split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new CliError(`${display(path)}:${i + 1}: not valid JSON`, EXIT.usage);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${display(path)}:${i + 1}: a request must be a JSON object`, EXIT.usage);
    const { at, ...req } = value as Record<string, unknown>;
    out.push({ req: req as KssRequest, at: at === undefined ? null : parseMoment(at, zone) });
  });
  if (out.length === 0) throw new CliError(`${display(path)}: no requests`, EXIT.usage);
  return out;
}

export function runBench(opts: BenchOptions): BenchResult {
  const zone = checkZone(opts.tz);
  const { program } = loadPolicy(opts.policy, opts.engine, true, zone);
  const requests = loadRequests(opts.requests, zone);
  const start = instantFromMs(Date.now());
  const contexts: EvalContext[] = requests.map((r) => ({ at: r.at ?? start, zone }));
  return measure(program, requests.map((r) => r.req), contexts, opts.seconds, opts.engine);
}

/** The measuring loop, separate so that bench/ scripts can call it on generated workloads. */
export function measure(program: DecisionProgram, reqs: KssRequest[], contexts: EvalContext[], seconds: number, engine: EngineName): BenchResult {
  const n = reqs.length;
  // One quota store for the whole run, like a server's: throttles that run out stay out.
  const quota = new MemoryQuota();
  let i = 0;
  let approved = 0;
  const step = (): void => {
    if (program.decide(reqs[i]!, contexts[i]!, quota).approved) approved++;
    if (++i === n) i = 0;
  };
  const BATCH = 256;
  const run = (ms: number): number => {
    let count = 0;
    const until = performance.now() + ms;
    while (performance.now() < until) {
      for (let k = 0; k < BATCH; k++) step();
      count += BATCH;
    }
    return count;
  };
  run(Math.min(500, seconds * 200)); // warm up the JIT
  approved = 0;
  const throughputMs = (seconds * 1000) / 2;
  const t0 = performance.now();
  const decisions = run(throughputMs);
  const elapsed = (performance.now() - t0) / 1000;
  const approvedShare = approved / decisions;

  const samples = new Float64Array(1 << 20);
  let taken = 0;
  const until = performance.now() + throughputMs;
  while (performance.now() < until && taken < samples.length) {
    for (let k = 0; k < BATCH && taken < samples.length; k++) {
      const a = process.hrtime.bigint();
      step();
      samples[taken++] = Number(process.hrtime.bigint() - a);
    }
  }
  const sorted = samples.subarray(0, taken).sort();
  const pct = (p: number) => (taken === 0 ? 0 : sorted[Math.min(taken - 1, Math.floor(p * taken))]! / 1000);
  return {
    engine,
    requests: n,
    decisions,
    approved: Math.round(approvedShare * decisions),
    seconds: round(elapsed, 3),
    decisions_per_second: Math.round(decisions / elapsed),
    p50_us: round(pct(0.5), 3),
    p99_us: round(pct(0.99), 3),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function benchText(r: BenchResult, opts: BenchOptions): string {
  return [
    `${display(opts.policy)} with ${display(opts.requests)} (${r.requests} requests, ${r.engine} engine)`,
    `  ${r.decisions} decisions in ${r.seconds} s: ${r.decisions_per_second.toLocaleString('en-US')} decisions/s (${Math.round((100 * r.approved) / Math.max(1, r.decisions))}% approved)`,
    `  latency p50 ${r.p50_us} µs, p99 ${r.p99_us} µs`,
    JSON.stringify(r),
    '',
  ].join('\n');
}
