// Benchmark: `kss diff` on two versions of the generated 10,000-rule-set policy of bench/check.mjs.
// Run: node scripts/build.mjs && node bench/diff.bench.mjs [--rule-sets N] [--runs N]
// The new version is a typical pull request: one path removed from a team's meta-rule in `decrypt`,
// a rule set inserted at the top of `rename` (renumbering every rule set after it) and office hours
// moved by an hour in `create_profile`. Prints the wall and CPU time of each whole
// `node bin/kss.js diff OLD NEW --format json` process and what it reported.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePolicy } from './check-policy.mjs';
import { option as arg } from './args.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ruleSets = Number(arg('--rule-sets', 10_000));
const runs = Number(arg('--runs', 3));

if (!existsSync(join(root, 'dist/cli/main.js'))) {
  console.error('build first: node scripts/build.mjs');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'kss-bench-diff-'));
const oldText = generatePolicy(ruleSets);
const newText = edit(oldText);
writeFileSync(join(dir, 'old.yml'), oldText);
writeFileSync(join(dir, 'new.yml'), newText);
console.log(`policies: ${ruleSets} rule sets, ${oldText.split('\n').length - 1} and ${newText.split('\n').length - 1} lines (${dir})`);

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const cpuFile = join(dir, 'cpu.txt');
const times = [];
for (let i = 0; i < runs; i++) {
  const command = [join(root, 'bin/kss.js'), 'diff', 'old.yml', 'new.yml', '--format', 'json', '--tz', 'UTC'];
  const start = process.hrtime.bigint();
  const r = timeBin
    ? spawnSync(timeBin, ['-f', '%U %S', '-o', cpuFile, 'node', ...command], { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    : spawnSync('node', command, { cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = timeBin ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).reduce((a, b) => a + Number(b) * 1000, 0) : NaN;
  times.push(ms);
  let summary = r.stderr.slice(0, 2000);
  try {
    const report = JSON.parse(r.stdout);
    const types = [...new Set(report.changes.map((c) => c.request_type))].join(', ');
    summary = `${report.changes.length} changes (${types}), ${report.may_change.length} may change, counters reset ${report.counters.reset.length}, fresh ${report.counters.fresh.length}`;
  } catch {
    // the summary stays the error output
  }
  console.log(`run ${i + 1}: ${ms.toFixed(0)} ms wall${timeBin ? `, ${cpu.toFixed(0)} ms CPU` : ''}, exit ${r.status}: ${summary}`);
}
times.sort((a, b) => a - b);
console.log(`kss diff: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms wall over ${runs} runs`);

function edit(text) {
  const lines = text.split('\n');
  // decrypt: the first team loses its `*.projectN` pattern.
  const meta = lines.findIndex((l) => l.includes("paths: [/dept0, '*.project0']"));
  lines[meta] = lines[meta].replace(", '*.project0'", '');
  // rename: a new first rule set.
  const rename = lines.indexOf('rename:');
  lines.splice(rename + 1, 0, '- - rule: meta-rule', '    paths: [/shared/rename-inbox]');
  // create_profile: the first office hours start an hour earlier.
  const profile = lines.indexOf('create_profile:');
  const start = lines.findIndex((l, i) => i > profile && l.includes('time_start:'));
  lines[start] = lines[start].replace(/'(\d+):00'/, (_, h) => `'${Number(h) - 1}:00'`);
  return lines.join('\n');
}
