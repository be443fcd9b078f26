#!/usr/bin/env node
/**
 * Audit append rate (issue 10 §3): decision-sized entries appended through the server's group
 * commit (runtime/audit/batch.ts) to a real SQLite store, with the checkpoint signer running every
 * 2 s when the checkout has one (runtime/audit/signer.ts), as `kss serve` runs it.
 *
 *   node bench/audit.bench.mjs [--repo DIR] [--entries 60000] [--rounds 3] [--inflight 256] [--no-signer]
 *
 * `--repo` measures another checkout (e.g. `git worktree add /tmp/kss-main main`) with the same
 * entries, for a before/after figure. Writes bench/out/audit.json.
 */
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { option as arg } from './args.mjs';

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const REPO = resolve(arg('--repo', HERE));
const ENTRIES = Number(arg('--entries', 60000));
const ROUNDS = Number(arg('--rounds', 3));
const INFLIGHT = Number(arg('--inflight', 256));

const hasSigner = !argv.includes('--no-signer') && existsSync(join(REPO, 'runtime/audit/signer.ts'));
const work = join(HERE, 'node_modules', '.cache', 'kss-bench');
mkdirSync(work, { recursive: true });
const entry = join(work, 'audit-entry.ts');
writeFileSync(entry, [
  `export { SqliteStore } from ${JSON.stringify(join(REPO, 'runtime/store/sqlite/store.ts'))};`,
  `export { AuditBatcher } from ${JSON.stringify(join(REPO, 'runtime/audit/batch.ts'))};`,
  `export { generateIdentity } from ${JSON.stringify(join(REPO, 'runtime/identity/keys.ts'))};`,
  hasSigner ? `export { AuditSigner } from ${JSON.stringify(join(REPO, 'runtime/audit/signer.ts'))};` : 'export const AuditSigner = null;',
].join('\n'));
const out = join(work, `audit-${process.pid}.mjs`);
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error', packages: 'external' });
const kss = await import(pathToFileURL(out).href);
rmSync(out, { force: true });

/** A decision entry as the server writes it (issue 10 §3's fields), the same for both checkouts. */
const decision = (i) => ({
  at: new Date().toISOString(), kind: 'decision', actor: 'api:tok_0123456789',
  data: {
    decision_id: `0f8fad5b-d9cb-469f-a165-${String(i).padStart(12, '0')}`, token_id: 'tok_0123456789',
    request_sha256: 'ab'.repeat(32), policy_version: 3, policy_sha256: 'cd'.repeat(32),
    approved: i % 3 !== 0, rule_set: i % 3 === 0 ? null : 0, rule_ids: ['finance-daily', 'office-hours'],
    request_type: 'decrypt', profile_id: (i % 1000).toString(16).padStart(32, '0'), device_id: '9f2c01', cryptographic_id: '77ab02',
    auth_meta: [{ meta: `finance/2022/report-${i % 50}.pdf`, complete: true }],
  },
});

async function round() {
  const dir = mkdtempSync(join(tmpdir(), 'kss-audit-bench-'));
  const store = kss.SqliteStore.open(dir, { create: true });
  const identity = kss.generateIdentity();
  await store.createIdentity(identity);
  const signer = kss.AuditSigner ? new kss.AuditSigner(store, identity, dir) : null;
  // Time spent signing, the signer's own cost apart from the machine's noise.
  let signMs = 0;
  if (signer) {
    const sign = signer.checkpoint.bind(signer);
    signer.checkpoint = async (...a) => {
      const t = performance.now();
      try { return await sign(...a); } finally { signMs += performance.now() - t; }
    };
  }
  signer?.start(2000, (e) => process.stderr.write(`signer: ${e.message}\n`));
  const batcher = new kss.AuditBatcher((inputs) => store.appendAudit(inputs));
  const t0 = performance.now();
  let next = 0;
  // Each add starts from a macrotask, as a request does from its socket's callback: adding from
  // the previous add's continuation would chain every batch in microtasks and starve the timers.
  const worker = async () => {
    while (next < ENTRIES) {
      await new Promise(setImmediate);
      await batcher.add(decision(next++));
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  await batcher.flush();
  signer?.stop();
  if (signer) await signer.checkpoint();
  const seconds = (performance.now() - t0) / 1000;
  const checkpoints = signer ? (await store.readCheckpoints(0, 1e9)).length : 0;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: Math.round(ENTRIES / seconds), seconds: Number(seconds.toFixed(2)), checkpoints, signMs: Math.round(signMs) };
}

const rounds = [];
for (let r = 0; r < ROUNDS; r++) rounds.push(await round());
const sorted = rounds.map((r) => r.perSecond).sort((a, b) => a - b);
const result = { repo: REPO, signer: hasSigner, entries: ENTRIES, inflight: INFLIGHT, rounds, median: sorted[Math.floor(sorted.length / 2)] };
mkdirSync(join(HERE, 'bench', 'out'), { recursive: true });
writeFileSync(join(HERE, 'bench', 'out', 'audit.json'), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${REPO}${hasSigner ? ' (checkpoints every 2 s)' : ' (no checkpoints)'}: median ${result.median} entries/s over ${ROUNDS} rounds of ${ENTRIES} ` +
  `(${rounds.map((r) => `${r.perSecond}/s${signer(r)}`).join(', ')})\n`);
function signer(r) { return hasSigner ? ` ${r.checkpoints} checkpoints in ${r.signMs} ms` : ''; }
