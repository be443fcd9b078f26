#!/usr/bin/env node
/**
 * Path-pattern benchmark (issue 3, "match all path patterns of a request type in one pass"): request
 * types with many literal path patterns, where the optimised engine's path index should win clearly.
 * - `one-rule-500`: one rule set whose meta-rule lists 500 paths (roots, directories, `a/b`
 *   components, base names, a few `*.ext`), then a public rule set;
 * - `sets-50x20`: 50 unguarded rule sets of 20 paths each (patterns shared between them), then a
 *   public rule set: a request that matches late walks many meta-rules.
 * Requests match a random pattern of each shape, or nothing (the whole list is walked).
 *
 *   npm run build && node bench/evaluator-paths.bench.mjs [--seconds 2] [--rounds 3] [--kss path/to/bin/kss.js]
 *
 * `--kss` measures another build (e.g. an export of the previous commit) for before/after figures.
 * Best round of each configuration, as in evaluator.bench.mjs. Writes bench/out/evaluator-paths.json
 * (not with --kss) and prints a table.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { option as arg } from './args.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const SECONDS = Number(arg('--seconds', 2)) || 2;
const ROUNDS = Number(arg('--rounds', 3)) || 3;
const KSS = resolve(arg('--kss', join(REPO, 'bin', 'kss.js')));

/** Pattern k of a list: the four literal shapes in turn, and every 25th a `*.ext`. */
function pathPattern(k) {
  if (k % 25 === 24) return `*.ext${k}`;
  return [`/dept${k}/`, `proj${k}/`, `team${k}/Docs`, `File${k}.txt`][k % 4];
}

/** A meta that matches pattern k (or nothing, for k < 0). */
function metaFor(k) {
  if (k < 0) return 'misc/archive/2022/q1/summary.bin';
  if (k % 25 === 24) return `misc/x/report.ext${k}`;
  return [`dept${k}/2022/plan.xlsx`, `area/proj${k}/notes.md`, `org/TEAM${k}/docs`, `shared/q1/file${k}.TXT`][k % 4];
}

function ruleSet(paths) {
  return [`  - - rule: meta-rule`, `      paths: [${paths.map((p) => `'${p}'`).join(', ')}]`];
}

const WORKLOADS = {
  'one-rule-500': { patterns: 500, policy: () => ['decrypt:', ...ruleSet(Array.from({ length: 500 }, (_, k) => pathPattern(k))), ...ruleSet(['/public/']), ''] },
  'sets-50x20': {
    patterns: 500,
    policy: () => {
      const lines = ['decrypt:'];
      // Set s lists patterns 10s … 10s+19: neighbours share ten.
      for (let s = 0; s < 50; s++) lines.push(...ruleSet(Array.from({ length: 20 }, (_, j) => pathPattern((10 * s + j) % 500))));
      lines.push(...ruleSet(['/public/']), '');
      return lines;
    },
  },
};

function requests(patterns, count = 1000) {
  let seed = 12345;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const out = [];
  for (let i = 0; i < count; i++) {
    const k = next() < 0.2 ? -1 : Math.floor(next() * patterns);
    out.push(JSON.stringify({ at: '2022-03-15T10:00:00Z', request_type: 'decrypt', auth_meta: [{ meta: metaFor(k), complete: true }] }));
  }
  return `${out.join('\n')}\n`;
}

const work = mkdtempSync(join(tmpdir(), 'kss-bench-paths-'));
const results = [];
try {
  const configs = [];
  for (const [name, w] of Object.entries(WORKLOADS)) {
    const policy = join(work, `${name}.yml`);
    const reqs = join(work, `${name}.jsonl`);
    const artifact = join(work, `${name}.json`);
    writeFileSync(policy, w.policy().join('\n'));
    writeFileSync(reqs, requests(w.patterns));
    execFileSync(process.execPath, [KSS, 'compile', policy, '-o', artifact], { stdio: ['ignore', 'ignore', 'inherit'] });
    for (const engine of ['optimized', 'plain']) configs.push({ name, engine, artifact, reqs, runs: [] });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of configs) {
      const out = execFileSync(process.execPath, [KSS, 'bench', '-p', c.artifact, '-r', c.reqs, '--engine', c.engine, '--seconds', String(SECONDS), '--format', 'json'], { encoding: 'utf8' });
      const last = JSON.parse(out.trim().split('\n').pop());
      c.runs.push(last);
      process.stderr.write(`round ${round + 1} ${c.name} ${c.engine}: ${last.decisions_per_second} decisions/s, p50 ${last.p50_us} µs\n`);
    }
  }
  for (const c of configs) {
    const pick = (key, f) => f(...c.runs.map((r) => r[key]));
    results.push({ workload: c.name, engine: c.engine, decisions_per_second: pick('decisions_per_second', Math.max), p50_us: pick('p50_us', Math.min), p99_us: pick('p99_us', Math.min), runs: c.runs });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(`kss: ${KSS}`);
console.log('workload        engine     decisions/s   p50 µs   p99 µs');
for (const r of results) {
  console.log(`${r.workload.padEnd(16)}${r.engine.padEnd(11)}${String(r.decisions_per_second).padStart(11)}   ${String(r.p50_us).padStart(6)}   ${String(r.p99_us).padStart(6)}`);
}
if (!argv.includes('--kss')) {
  mkdirSync(join(REPO, 'bench', 'out'), { recursive: true });
  writeFileSync(join(REPO, 'bench', 'out', 'evaluator-paths.json'), `${JSON.stringify({ seconds: SECONDS, rounds: ROUNDS, node: process.version, results }, null, 2)}\n`);
}
