// Benchmark: `kss check` on a generated 10,000-rule-set policy (about 60,000 lines).
// Run: node scripts/build.mjs && node bench/check.mjs [--rule-sets N] [--runs N]
// Prints the size of the policy and the wall time of each run of `node bin/kss.js check` (a whole
// process: start-up, read, parse, check, format). The target is under 2 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePolicy } from './check-policy.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const ruleSets = arg('--rule-sets', 10_000);
const runs = arg('--runs', 3);

{
  const dir = mkdtempSync(join(tmpdir(), 'kss-bench-'));
  const file = join(dir, 'keyserver.yml');
  const text = generatePolicy(ruleSets);
  writeFileSync(file, text);
  const lines = text.split('\n').length - 1;
  console.log(`policy: ${ruleSets} rule sets, ${lines} lines, ${(text.length / 1024 / 1024).toFixed(1)} MiB (${file})`);
  try {
    execFileSync('node', ['-e', "require('node:fs').accessSync('dist/cli/main.js')"], { cwd: root, stdio: 'ignore' });
  } catch {
    console.error('build first: node scripts/build.mjs');
    process.exit(2);
  }
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync('node', [join(root, 'bin/kss.js'), 'check', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const diagnostics = result.stdout ? JSON.parse(result.stdout).length : NaN;
    times.push(ms);
    console.log(`run ${i + 1}: ${ms.toFixed(0)} ms, exit ${result.status}, ${diagnostics} diagnostics`);
    if (result.status !== 0) console.error(result.stderr || result.stdout.slice(0, 2000));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`kss check: median ${median.toFixed(0)} ms over ${runs} runs (target < 2000 ms) ${median < 2000 ? 'OK' : 'TOO SLOW'}`);
}
