#!/usr/bin/env node
/**
 * Where a server's CPU goes (issue 15): `kss serve --workers N` (default 1) under `node --cpu-prof` with the
 * server benchmark's load (autocannon, 32 connections, 1,000 profiles), then the functions with the
 * most self time, as shares of the time the process was busy (idle excluded).
 *
 *   npm run build && node bench/server-profile.mjs [--scenario stateless|throttled-persistent] [--seconds 6] [--top 25] [--workers N]
 *
 * Writes the raw profile to bench/out/server-<scenario>.cpuprofile (open it in Chrome DevTools);
 * with --workers N > 1, one per process: server-<scenario>-primary and -worker-<pid>.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { autocannonLoad, SCENARIOS } from './load.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KSS = join(REPO, 'bin', 'kss.js');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SCENARIO = args.scenario ?? 'stateless';
const SECONDS = Number(args.seconds ?? 6);
const TOP = Number(args.top ?? 25);
const WORKERS = Number(args.workers ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'kss-profile-'));
const kss = (...a) => execFileSync(process.execPath, [KSS, ...a, '--data-dir', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
try {
  writeFileSync(join(dir, 'policy.yml'), SCENARIOS[SCENARIO]);
  kss('keyserver', 'create');
  kss('keyserver', 'policy', '--load', join(dir, 'policy.yml'));
  kss('keyserver', 'enable');
  const token = kss('keyserver', 'token', 'create', '--role', 'client');
  const profDir = join(dir, 'prof');
  const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, KSS, 'serve', '--data-dir', dir, '--port', '0', '--tz', 'UTC', '--workers', String(WORKERS)], { stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((res) => createInterface({ input: child.stdout }).once('line', (l) => res(JSON.parse(l).listening)));
  const r = await autocannonLoad({ url, token, seconds: SECONDS, connections: 32 });
  child.kill('SIGTERM');
  await new Promise((res) => child.on('exit', res));
  mkdirSync(join(REPO, 'bench', 'out'), { recursive: true });
  // One profile per process (file names hold the pid): with --workers N > 1, the primary's and each worker's.
  for (const name of readdirSync(profDir).sort()) {
    const pid = Number(name.split('.')[3]);
    const role = WORKERS === 1 ? '' : pid === child.pid ? '-primary' : `-worker-${pid}`;
    copyFileSync(join(profDir, name), join(REPO, 'bench', 'out', `server-${SCENARIO}${role}.cpuprofile`));
    if (role) console.log(`\n${role.slice(1)}:`);
    report(JSON.parse(readFileSync(join(profDir, name), 'utf8')), r.total);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Self time per function (name, file, line), from the profile's samples and their time deltas. */
function report(prof, decisions) {
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const f = nodes.get(prof.samples[i]).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}${f.lineNumber >= 0 ? `:${f.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (prof.timeDeltas[i] ?? 0));
  }
  const idle = self.get('(idle) ') ?? 0;
  self.delete('(idle) ');
  const busy = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`${SCENARIO}: ${decisions} decisions in ${SECONDS} s; busy ${(busy / 1e6).toFixed(2)} s (idle ${(idle / 1e6).toFixed(2)} s), ${(busy / decisions).toFixed(1)} µs busy per decision (profiler overhead included)`);
  for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${((100 * t) / busy).toFixed(1).padStart(5)}%  ${k}`);
}
