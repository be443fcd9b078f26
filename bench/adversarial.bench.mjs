#!/usr/bin/env node
/**
 * Adversarial-pattern benchmark (issue 10 §1): policies whose patterns make a backtracking engine
 * take exponential or polynomial time, decided against attack metas of up to 4096 characters (the
 * longest a request may carry). Target: every decision under 1 ms.
 *
 *   node bench/adversarial.bench.mjs [--repo DIR] [--lengths 32,256,1024,4096] [--reps 7]
 *
 * Bundles DIR's compiler and evaluator with esbuild (no build step; DIR defaults to this checkout,
 * `--repo` measures another, e.g. an export of main with short `--lengths`: there the worst pairs
 * take seconds). Each (pattern, meta) pair is decided `--reps` times by the optimised engine in one
 * process; the median is kept. Writes bench/out/adversarial.json and prints the slowest pairs;
 * exits 1 when a median reaches 1 ms.
 */
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { option as arg } from './args.mjs';

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(arg('--repo', HERE));
const LENGTHS = arg('--lengths', '32,256,1024,4096').split(',').map(Number);
const REPS = Number(arg('--reps', 7)) || 7;
const LIMIT_US = 1000;

/** [name, meta-rule arguments (YAML flow), attack metas as functions of a length]. */
const a = (n, tail = '!') => 'a'.repeat(n - tail.length) + tail;
const CASES = [
  ['nested `(a+)+$`', "regexes: ['(a+)+$']", [(n) => a(n), (n) => a(n, '')]],
  ['nested `(a*)*b`', "regexes: ['(a*)*b']", [(n) => a(n)]],
  ['nested `(x+x+)+y`', "regexes: ['(x+x+)+y']", [(n) => 'x'.repeat(n)]],
  ['nested words `(\\w+\\s?)+$`', "regexes: ['(\\w+\\s?)+$']", [(n) => a(n), (n) => 'ab '.repeat(n / 3).slice(0, n - 1) + '!']],
  ['overlapping `(a|aa)+$`', "regexes: ['(a|aa)+$']", [(n) => a(n)]],
  ['overlapping `(a|ab|abc|abcd)*$`', "regexes: ['^(a|ab|abc|abcd)*$']", [(n) => 'abc'.repeat(n / 3).slice(0, n - 1) + '!']],
  ['overlapping `(?:a|a|a)*x`', "regexes: ['(?:a|a|a)*x']", [(n) => a(n)]],
  ['`.*` twice `.*a.*a.*b`', "regexes: ['.*a.*a.*b']", [(n) => a(n)]],
  ['glob `*a*a*b`', "paths: ['*a*a*b']", [(n) => a(n), (n) => a(n, '/b')]],
  ['glob `*a*a*a*a*a*b`', "paths: ['*a*a*a*a*a*b']", [(n) => a(n)]],
  ['glob `/x/*a*a*/b`', "paths: ['/x/*a*a*/b']", [(n) => `x/${a(n - 2, 'a/c')}`]],
  ['counted `a{1,100}b`', "regexes: ['a{1,100}b']", [(n) => a(n)]],
  ['counted `(a|b){0,50}c`', "regexes: ['(a|b){0,50}c']", [(n) => 'ab'.repeat(n / 2)]],
  ['counted `(?:a{1,10}){1,10}$`', "regexes: ['(?:a{1,10}){1,10}$']", [(n) => a(n)]],
  ['DFA-sized `[ab]*a[ab]{12}$`', "regexes: ['[ab]*a[ab]{12}$']", [(n) => Array.from({ length: n }, (_, i) => ((i * 7919) % 13 < 6 ? 'a' : 'b')).join('')]],
  ['Unicode case `(?i)(ſ+|s+)+k$`', "regexes: ['(ſ+|s+)+k$']", [(n) => 'ſ'.repeat(n - 1) + '!', (n) => 'S'.repeat(n - 1) + 'K']],
  ['Unicode case `(σ|ς|Σ)+x$`', "regexes: ['(σ|ς|Σ)+x$']", [(n) => 'ς'.repeat(n - 1) + 'Σ']],
  ['Unicode classes `\\w+\\d+$`', "regexes: ['\\w+\\d+$']", [(n) => '٣'.repeat(n - 1) + '!', (n) => 'é'.repeat(n - 1) + '!']],
  ['word boundaries `(\\b\\w+\\b\\s*)+$`', "regexes: ['(\\b\\w+\\b\\s*)+$']", [(n) => 'ab '.repeat(n / 3).slice(0, n - 1) + '!']],
  ['many patterns at once (200 regexes)', `regexes: [${Array.from({ length: 200 }, (_, i) => `'(?:x${i}|y)+z${i}$'`).join(', ')}]`, [(n) => 'y'.repeat(n)]],
  ['budget: back-reference `^(\\w+)-\\1$`', "regexes: ['^(\\w+)-\\1$']", [(n) => a(n, '-b')]],
  ['budget: look-ahead past its budget', "regexes: ['(?=(?:c|cc){0,16}x)']", [(n) => 'c'.repeat(n)]],
];

// Bundled next to this checkout's node_modules, so that the packages resolve (as docs/generate.mjs does).
const work = join(HERE, 'node_modules', '.cache', 'kss-bench');
mkdirSync(work, { recursive: true });
const entry = join(work, 'adversarial-entry.ts');
writeFileSync(entry, [
  `export { compilePolicy } from ${JSON.stringify(join(REPO, 'compiler/compile.ts'))};`,
  `export { loadProgram, MemoryQuota } from ${JSON.stringify(join(REPO, 'runtime/evaluator/index.ts'))};`,
].join('\n'));
const out = join(work, `adversarial-${process.pid}.mjs`);
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error', packages: 'external' });
const kss = await import(pathToFileURL(out).href);
rmSync(out, { force: true });

const ctx = { now: Date.parse('2022-03-15T10:00:00Z'), tz: 'UTC' };
const results = [];
for (const [name, args, metas] of CASES) {
  const policy = `decrypt:\n- - rule: meta-rule\n    ${args}\n`;
  const compiled = kss.compilePolicy(policy, 'adversarial.yml');
  if (!compiled.artifact) {
    results.push({ name, refused: compiled.diagnostics.map((d) => d.message) });
    process.stderr.write(`${name.padEnd(44)} refused by the checker: ${compiled.diagnostics[0]?.message}\n`);
    continue;
  }
  const program = kss.loadProgram(compiled.artifact);
  const quota = new kss.MemoryQuota();
  for (const length of LENGTHS) {
    metas.forEach((make, k) => {
      const meta = make(length).slice(0, length);
      const request = { request_type: 'decrypt', profile: { profile_id: '00112233445566778899aabbccddeeff' }, auth_meta: [{ meta, complete: true }] };
      const times = [];
      let decision;
      for (let r = 0; r < REPS; r++) {
        const t0 = process.hrtime.bigint();
        decision = program.decide(request, ctx, quota);
        times.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
      times.sort((x, y) => x - y);
      const row = { name, meta: k, length: meta.length, approved: decision.approved, median_us: Math.round(times[times.length >> 1] * 10) / 10, max_us: Math.round(times[times.length - 1] * 10) / 10 };
      results.push(row);
      process.stderr.write(`${name.padEnd(44)} meta ${k} × ${String(meta.length).padStart(4)}: ${String(row.median_us).padStart(9)} µs (max ${row.max_us}) ${decision.approved ? 'approved' : 'denied'}\n`);
    });
  }
}

const timed = results.filter((r) => r.median_us !== undefined);
const worst = [...timed].sort((x, y) => y.median_us - x.median_us).slice(0, 5);
console.log(`${timed.length} decisions (${CASES.length} policies × metas up to ${Math.max(...LENGTHS)} characters), median of ${REPS}; slowest:`);
for (const r of worst) console.log(`  ${r.median_us.toString().padStart(9)} µs  ${r.name}, ${r.length} characters`);
const slow = timed.filter((r) => r.median_us >= LIMIT_US);
console.log(`${slow.length === 0 ? 'ok  ' : 'MISS'} every decision under ${LIMIT_US} µs (${slow.length} over)`);

mkdirSync(join(HERE, 'bench', 'out'), { recursive: true });
writeFileSync(join(HERE, 'bench', 'out', 'adversarial.json'), `${JSON.stringify({ repo: REPO, node: process.version, reps: REPS, results }, null, 2)}\n`);
process.exitCode = slow.length === 0 ? 0 : 1;
