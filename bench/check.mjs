// Benchmark: `kss check` on a generated 10,000-rule-set policy (about 60,000 lines).
// Run: node scripts/build.mjs && node bench/check.mjs [--rule-sets N] [--runs N]
// Prints the size of the policy and the wall time of each run of `node bin/kss.js check` (a whole
// process: start-up, read, parse, check, format). The target is under 2 s.
// Then, in this process, the CPU time of each phase (parse, checks), which the load of a shared
// machine distorts much less than wall time: it shows where the time goes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePolicy } from './check-policy.mjs';
import { option as arg } from './args.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const ruleSets = Number(arg('--rule-sets', 10_000));
const runs = Number(arg('--runs', 3));

await (async () => {
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
  // CPU time of the child (user + system) is reported too: on a shared, loaded machine wall time
  // mostly measures the queue for the CPU. /usr/bin/time gives it; without it only wall time is shown.
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const cpuFile = join(dir, 'cpu.txt');
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const command = [join(root, 'bin/kss.js'), 'check', file, '--format', 'json'];
    const result = timeBin
      ? spawnSync(timeBin, ['-f', '%U %S', '-o', cpuFile, 'node', ...command], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
      : spawnSync('node', command, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const diagnostics = result.stdout ? JSON.parse(result.stdout).length : NaN;
    const cpu = timeBin ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).reduce((a, b) => a + Number(b) * 1000, 0) : NaN;
    times.push(ms);
    console.log(`run ${i + 1}: ${ms.toFixed(0)} ms wall${timeBin ? `, ${cpu.toFixed(0)} ms CPU` : ''}, exit ${result.status}, ${diagnostics} diagnostics`);
    if (result.status !== 0) console.error(result.stderr || result.stdout.slice(0, 2000));
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`kss check: median ${median.toFixed(0)} ms over ${runs} runs (target < 2000 ms) ${median < 2000 ? 'OK' : 'TOO SLOW'}`);
  await phases(text);
})();

/** CPU time of parsing and checking, measured in-process on a bundle of compiler/ made on the fly. */
async function phases(text) {
  const { build } = await import('esbuild');
  const outfile = join(root, 'node_modules/.cache/kss-bench-check/compiler.mjs');
  await build({
    stdin: {
      contents: "export { parsePolicy } from './compiler/source/parse.ts'; export { runChecks } from './compiler/checker/run.ts'; export { analyzePolicy } from './compiler/analyze.ts';",
      resolveDir: root,
      loader: 'ts',
    },
    outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning',
  });
  const { parsePolicy, runChecks } = await import(outfile);
  const cpu = (f) => {
    const start = process.cpuUsage();
    const value = f();
    const used = process.cpuUsage(start);
    return [value, (used.user + used.system) / 1000];
  };
  for (let round = 1; round <= 2; round++) {
    const [parsed, parseMs] = cpu(() => parsePolicy(text, 'keyserver.yml'));
    const [, checkMs] = cpu(() => runChecks(parsed.ast));
    console.log(`in-process round ${round} (CPU): parse ${parseMs.toFixed(0)} ms, checks ${checkMs.toFixed(0)} ms`);
  }
}
