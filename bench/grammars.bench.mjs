#!/usr/bin/env node
/**
 * Grammar benchmark: how long the little languages take per fragment, the cost the checker and the
 * compiler pay for every time, date, path pattern and regex of a policy.
 *
 *   node bench/grammars.bench.mjs
 *
 * Bundles compiler/grammars with esbuild (no build step needed), then measures distinct fragments
 * (nothing memoised) and repeated ones. Writes bench/out/grammars.json and prints a table.
 */
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'kss-grammars-bench-'));
const entry = join(work, 'entry.ts');
writeFileSync(
  entry,
  ['time', 'date', 'path-pattern', 'python-regex', 'python-lower']
    .map((m) => `export * from ${JSON.stringify(join(REPO, 'compiler/grammars', m + '.ts'))};`)
    .join('\n'),
);
const out = join(work, 'grammars.mjs');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
const g = await import(pathToFileURL(out).href);
rmSync(work, { recursive: true, force: true });

function measure(name, n, fn) {
  for (let i = 0; i < Math.min(n, 2000); i++) fn(i + n); // warm up on other inputs
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const us = ((performance.now() - t0) * 1000) / n;
  const row = { name, n, us_per_op: Math.round(us * 100) / 100 };
  process.stderr.write(`${name.padEnd(48)} ${row.us_per_op.toString().padStart(9)} µs/op\n`);
  return row;
}

const results = [
  measure('time, distinct (`H:MMpm`)', 20000, (i) => g.parseTimeOfDay(`${(i % 12) + 1}:${String(i % 60).padStart(2, '0')}pm`)),
  measure('date, distinct', 20000, (i) => g.parseDate(`${2000 + (i % 50)}-0${(i % 9) + 1}-1${i % 9}`)),
  measure('path pattern, distinct, case-insensitive', 20000, (i) => g.translatePathPattern(`/finance${i}/report*.pdf`, false)),
  measure('regex, distinct, case-insensitive', 20000, (i) => g.translatePythonRegex(`^(?:finance|hr)/${i}[a-z]+\\.pdf$`, false)),
  measure('regex, distinct, with \\w and \\b', 5000, (i) => g.translatePythonRegex(`\\b${i}\\w+`, false)),
  measure('regex, repeated (memoised)', 200000, () => g.translatePythonRegex('hr/.*\\.csv$', false)),
  measure('pythonLower, ASCII meta', 200000, (i) => g.pythonLower(`Finance/2022/Report${i}.PDF`)),
  measure('pythonLower, non-ASCII meta', 200000, (i) => g.pythonLower(`Finance/Über/Café ΣΑΣ${i}`)),
];

mkdirSync(join(REPO, 'bench', 'out'), { recursive: true });
writeFileSync(join(REPO, 'bench', 'out', 'grammars.json'), JSON.stringify({ node: process.version, results }, null, 2) + '\n');
