#!/usr/bin/env node
/**
 * Cluster benchmark (issue 6): decisions/s and latency percentiles of a persistent throttled
 * policy served by 1 and by 3 `kss serve` instances on one shared MariaDB, load generator on the
 * same machine.
 *
 *   npm run build && bash .ci/mariadb.sh && node bench/cluster.mjs [--seconds 10] [--connections 32] [--instances 1,3,3:1]
 *
 * `--instances` lists scenarios: N instances with the load spread over all, or N:K with N running
 * and the load on K of them (a control separating "more processes" from "load spread").
 *
 * Closed loop: each of --connections clients sends its next request when the previous answer
 * arrives, round-robin over the instances. Every request names one of 5,000 profiles, so the
 * counters spread over many rows (a single hot profile would measure one row lock instead).
 * Writes bench/out/cluster.json as well as printing a table.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import mysql from 'mysql2/promise';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KSS = process.env.KSS_TEST_BIN ?? join(REPO, 'bin', 'kss.js');
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const SECONDS = Number(args.seconds ?? 10);
const CONNECTIONS = Number(args.connections ?? 32);
// `3` = three instances, load spread over all; `3:1` = three running, load on one (a control).
const SCENARIOS = String(args.instances ?? '1,3').split(',').map((x) => {
  const [n, k] = x.split(':').map(Number);
  return { n, k: k ?? n };
});
const PROFILES = 5000;

const POLICY = `decrypt:
  - - rule: per-profile-throttle-rule
      rule_id: bench-daily
      per_hour: 1000000
      per_day: 1000000
      persistent: true
`;

function mysqlUri() {
  if (process.env.KSS_TEST_MYSQL_URI) return process.env.KSS_TEST_MYSQL_URI;
  const file = '/tmp/kss-mariadb.env';
  if (!existsSync(file)) execFileSync('bash', [join(REPO, '.ci', 'mariadb.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const line = readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('KSS_TEST_MYSQL_URI='));
  return line.slice('KSS_TEST_MYSQL_URI='.length);
}

async function adminQuery(uri, sql) {
  const u = new URL(uri);
  const conn = await mysql.createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

function kss(argv) {
  return execFileSync(process.execPath, [KSS, ...argv], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Each instance has its own data directory holding the keyserver's signing key (as `initialize` leaves it). */
function instanceDir(work, index) {
  const dir = join(work, `instance-${index}`);
  if (index > 0 && !existsSync(dir)) cpSync(join(work, 'instance-0'), dir, { recursive: true, filter: (src) => !src.endsWith('.lock') });
  return dir;
}

function serve(uri, dataDir) {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, [KSS, 'serve', '--db-uri', uri, '--data-dir', dataDir, '--port', '0', '--tz', 'UTC'], { cwd: REPO, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"listening"'));
      if (line) done({ url: JSON.parse(line).listening, proc });
    });
    proc.on('exit', (code) => fail(new Error(`kss serve exited ${code}`)));
  });
}

function body(i) {
  const profile = (i % PROFILES).toString(16).padStart(32, '0');
  return JSON.stringify({
    request_type: 'decrypt', device_id: 'aa01', cryptographic_id: 'bb02',
    profile: { profile_id: profile, profile_words: ['correct', 'horse', 'battery', 'staple'] },
    auth_meta: [{ meta: 'finance/report.pdf', complete: true }],
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; 100 Hz on Linux
  } catch {
    return NaN;
  }
}

function mysqldPid() {
  const file = process.env.KSS_TEST_MYSQL_PIDFILE ?? '/tmp/kss-mariadb/mysqld.pid';
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
}

async function run(urls, token, seconds, connections, serverPids) {
  const pools = urls.map((u) => new Pool(u, { connections: Math.ceil(connections / urls.length), pipelining: 1 }));
  const latencies = [];
  const counts = { approved: 0, denied: 0, errors: 0 };
  let seq = 0;
  let measuring = false;
  const stopAt = Date.now() + 2000 + seconds * 1000;
  const startMeasure = Date.now() + 2000; // warm-up: JIT, pools, InnoDB pages
  let cpu0 = null;
  const cpuNow = () => ({
    servers: serverPids.reduce((a, p) => a + cpuSeconds(p), 0), mysqld: cpuSeconds(mysqldPid()),
    generator: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  });
  setTimeout(() => (cpu0 = cpuNow()), 2000);
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const pool = pools[c % pools.length];
      while (Date.now() < stopAt) {
        const i = seq++;
        const t0 = process.hrtime.bigint();
        let ok = false;
        let approved = false;
        try {
          const res = await pool.request({ method: 'POST', path: '/v1/requests', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body(i) });
          const json = await res.body.json();
          ok = res.statusCode === 200;
          approved = json.approved === true;
        } catch {
          ok = false;
        }
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (!measuring && Date.now() >= startMeasure) measuring = true;
        if (!measuring) continue;
        latencies.push(ms);
        if (!ok) counts.errors++;
        else if (approved) counts.approved++;
        else counts.denied++;
      }
    }),
  );
  const cpu1 = cpuNow();
  await Promise.all(pools.map((p) => p.close()));
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  // CPU per decision by component: where the time goes (2 cores are shared by all of them).
  const per = (k) => Math.round(((cpu1[k] - cpu0[k]) / Math.max(1, latencies.length)) * 1e6);
  return {
    decisions_per_s: Math.round(latencies.length / seconds), p50_ms: +pct(50).toFixed(2), p99_ms: +pct(99).toFixed(2), max_ms: +pct(100).toFixed(2), ...counts,
    cpu_us_per_decision: { servers: per('servers'), mysqld: per('mysqld'), generator: per('generator') },
  };
}

const base = mysqlUri();
const dbName = `kss_test_bench_${process.pid}`;
const uri = `${base.replace(/\/[^/]*$/, '')}/${dbName}`;
const work = mkdtempSync(join(tmpdir(), 'kss-bench-'));
await adminQuery(base, `CREATE DATABASE ${dbName} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
const results = [];
try {
  kss(['keyserver', 'create', '--db-uri', uri, '--data-dir', join(work, 'instance-0')]);
  writeFileSync(join(work, 'p.yml'), POLICY);
  kss(['keyserver', 'policy', '--load', join(work, 'p.yml'), '--db-uri', uri]);
  kss(['keyserver', 'enable', '--db-uri', uri]);
  const token = kss(['keyserver', 'token', 'create', '--role', 'client', '--db-uri', uri]).trim();
  for (const { n, k } of SCENARIOS) {
    const servers = [];
    for (let i = 0; i < n; i++) servers.push(await serve(uri, instanceDir(work, i)));
    try {
      const r = await run(servers.slice(0, k).map((s) => s.url), token, SECONDS, CONNECTIONS, servers.map((s) => s.proc.pid));
      results.push({ instances: n, loaded: k, connections: CONNECTIONS, seconds: SECONDS, loadavg_1m: +loadavg()[0].toFixed(2), ...r });
      process.stderr.write(`${n} instance(s), load on ${k}: ${JSON.stringify(r)}\n`);
    } finally {
      for (const s of servers) s.proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
    }
    kss(['keyserver', 'quota', 'clear', '--all', '--db-uri', uri]);
  }
} finally {
  await adminQuery(base, `DROP DATABASE IF EXISTS ${dbName}`);
  rmSync(work, { recursive: true, force: true });
}

console.log('instances  loaded  connections  decisions/s    p50 ms    p99 ms    max ms  errors  cpu µs/decision (servers/mysqld/generator)  load');
for (const r of results) {
  const c = r.cpu_us_per_decision;
  console.log(`${String(r.instances).padStart(9)}  ${String(r.loaded).padStart(6)}  ${String(r.connections).padStart(11)}  ${String(r.decisions_per_s).padStart(11)}  ${String(r.p50_ms).padStart(8)}  ${String(r.p99_ms).padStart(8)}  ${String(r.max_ms).padStart(8)}  ${String(r.errors).padStart(6)}  ${`${c.servers}/${c.mysqld}/${c.generator}`.padStart(42)}  ${r.loadavg_1m}`);
}
mkdirSync(join(REPO, 'bench', 'out'), { recursive: true });
writeFileSync(join(REPO, 'bench', 'out', 'cluster.json'), `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
