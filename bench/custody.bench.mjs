#!/usr/bin/env node
/**
 * Key custody benchmark (issue 12): decrypt round trips per second for 1 KiB files (onboarded
 * profile, `POST /v1/shards`, signature checks, HPKE open/re-seal, combine, decrypt) against the
 * plain decision rate (`POST /v1/requests`, token only), both one request at a time against one
 * `kss serve` on a SQLite data directory; then MB/s and the client's peak memory (max RSS of the
 * client process) to encrypt and decrypt a 100 MB file.
 *
 *   npm run build && node bench/custody.bench.mjs [--seconds 5] [--mb 100]
 *
 * Bundles client/ with esbuild (no separate build). Writes bench/out/custody.json.
 */
import { build } from 'esbuild';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { option as arg } from './args.mjs';

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(arg('--seconds', 5));
const MB = Number(arg('--mb', 100));
const KSS = join(HERE, 'bin', 'kss.js');
const tmp = mkdtempSync(join(tmpdir(), 'kss-custody-bench-'));
const at = (n) => join(tmp, n);
const env = { ...process.env, KSS_BACKUP_PASSPHRASE: 'bench passphrase' };
const kss = (...args) => execFileSync(process.execPath, [KSS, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

async function bundleClient() {
  const entry = at('entry.ts');
  writeFileSync(entry, [
    `export { encryptFile } from ${JSON.stringify(join(HERE, 'client/encrypt.ts'))};`,
    `export { decryptFile } from ${JSON.stringify(join(HERE, 'client/decrypt.ts'))};`,
    `export { readProfile } from ${JSON.stringify(join(HERE, 'client/profile-dir.ts'))};`,
  ].join('\n'));
  await build({ entryPoints: [entry], outfile: at('client.mjs'), bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" } });
  // A child process that runs one client operation and reports its time and peak memory.
  writeFileSync(at('run.mjs'), `import * as c from './client.mjs';
const [op, input, output, meta] = process.argv.slice(2);
const p = c.readProfile(${JSON.stringify(at('profile'))});
const t = process.hrtime.bigint();
if (op === 'encrypt') await c.encryptFile(p, { input, output, meta }); else await c.decryptFile(p, { input, output });
console.log(JSON.stringify({ ms: Number(process.hrtime.bigint() - t) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));`);
  return import(pathToFileURL(at('client.mjs')).href);
}

function serve(dataDir) {
  const child = spawn(process.execPath, [KSS, 'serve', '--data-dir', dataDir, '--port', '0', '--tz', 'UTC'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((ok) => createInterface({ input: child.stdout }).once('line', (l) => ok({ child, url: JSON.parse(l).listening })));
}

async function rate(seconds, once) {
  const end = Date.now() + seconds * 1000;
  let n = 0;
  const t = process.hrtime.bigint();
  while (Date.now() < end) {
    await once(n);
    n++;
  }
  return n / (Number(process.hrtime.bigint() - t) / 1e9);
}

function child(...args) {
  return JSON.parse(execFileSync(process.execPath, [at('run.mjs'), ...args], { encoding: 'utf8' }));
}

const client = await bundleClient();
writeFileSync(at('p.yml'), 'decrypt:\n  - - rule: meta-rule\n      paths: ["/finance"]\n');
kss('keyserver', 'create', '--data-dir', at('data'));
kss('keyserver', 'policy', '--load', at('p.yml'), '--data-dir', at('data'));
const token = kss('keyserver', 'token', 'create', '--role', 'client', '--data-dir', at('data')).trim();
const server = await serve(at('data'));
try {
  const id = (await (await fetch(`${server.url}/v1/status`)).json()).keyserver_id;
  kss('client', 'onboard', '--keyserver', server.url, '--keyserver-id', id, '--token', token, '--profile-dir', at('profile'));
  const profile = client.readProfile(at('profile'));
  writeFileSync(at('small'), randomBytes(1024));
  await client.encryptFile(profile, { input: at('small'), output: at('small.kss'), meta: 'finance/small.bin' });
  const body = JSON.stringify({ request_type: 'decrypt', profile: { profile_id: profile.profile_id }, auth_meta: [{ meta: 'finance/small.bin', complete: true }] });
  const plain = await rate(SECONDS, async () => {
    const r = await fetch(`${server.url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    if (!(await r.json()).approved) throw new Error('plain decision not approved');
  });
  const custody = await rate(SECONDS, (n) => client.decryptFile(profile, { input: at('small.kss'), output: at(`small.${n}`) }).then(() => rmSync(at(`small.${n}`))));
  // The big file, written in 1 MiB pieces (the benchmark itself stays small too).
  const fd = openSync(at('big'), 'w');
  for (let i = 0; i < MB; i++) writeSync(fd, randomBytes(1024 * 1024));
  closeSync(fd);
  const enc = child('encrypt', at('big'), at('big.kss'), 'finance/big.bin');
  const dec = child('decrypt', at('big.kss'), at('big.out'));
  const result = {
    at: new Date().toISOString(), seconds: SECONDS, mb: MB,
    plain_decisions_per_s: Math.round(plain), decrypt_round_trips_per_s_1kib: Math.round(custody),
    encrypt: { mb_per_s: +(MB / (enc.ms / 1000)).toFixed(1), peak_rss_mib: Math.round(enc.maxRssMiB) },
    decrypt: { mb_per_s: +(MB / (dec.ms / 1000)).toFixed(1), peak_rss_mib: Math.round(dec.maxRssMiB) },
  };
  mkdirSync(join(HERE, 'bench', 'out'), { recursive: true });
  writeFileSync(join(HERE, 'bench', 'out', 'custody.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  server.child.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
