#!/usr/bin/env node
/**
 * The cost of a match that spends its whole step budget (issue 10 §1: every decision under 1 ms):
 * `(?=(?:c|cc){0,16}x)` on 4096 `c` in the budgeted backtracker, at the old budget (16 steps per
 * character) and the current one (runtime/evaluator/matcher/backtrack.ts), in one process.
 *
 *   node bench/step-budget.bench.mjs [--runs 30]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const RUNS = Number(argv[argv.indexOf('--runs') + 1] || 30) || 30;
const dir = mkdtempSync(join(tmpdir(), 'kss-budget-'));
const outfile = join(dir, 'budget.cjs');
const entry = "export { BacktrackMatcher, BudgetExceeded, stepBudget } from './runtime/evaluator/matcher/backtrack.ts'; export { compileSource } from './compiler/grammars/automaton/program.ts';";
await build({ absWorkingDir: REPO, stdin: { contents: entry, resolveDir: REPO, loader: 'ts' }, outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning' });
const m = createRequire(import.meta.url)(outfile);
rmSync(dir, { recursive: true, force: true });

const prog = m.compileSource('(?=(?:c|cc){0,16}x)');
const subject = 'c'.repeat(4096);
const fixed = (a) => a.toFixed(3);
for (const [name, budget] of [['16 per character (before)', 10_000 + 16 * 4096], ['current', m.stepBudget(4096)]]) {
  const matcher = new m.BacktrackMatcher(prog, budget);
  const run = () => {
    try {
      matcher.test(subject);
      return 'decided';
    } catch (e) {
      if (e instanceof m.BudgetExceeded) return 'budget spent';
      throw e;
    }
  };
  for (let i = 0; i < 20; i++) run();
  const wall = [];
  const cpu = [];
  let outcome;
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    outcome = run();
    wall.push(performance.now() - t0);
    const d = process.cpuUsage(c0);
    cpu.push((d.user + d.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mid = RUNS >> 1;
  console.log(`${name}: ${budget} steps, ${outcome}; wall min ${fixed(wall[0])} ms, median ${fixed(wall[mid])} ms; CPU median ${fixed(cpu[mid])} ms`);
}
