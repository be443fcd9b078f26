/**
 * The "N per-profile rule sets" workload of issue 3: N rule sets
 * `[profile-id-rule, meta-rule with 3 paths, per-profile-throttle-rule]`, one per profile, plus one
 * public rule set at the end; requests spread over the profiles (and some strangers).
 *
 *   node bench/workloads/per-profile.mjs <N> <out-dir> [requests=1000]
 *
 * Writes <out-dir>/per-profile-<N>.yml and <out-dir>/per-profile-<N>.jsonl. Deterministic.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function profileHex(i) {
  return createHash('md5').update(`profile-${i}`).digest('hex');
}

export function policyText(n) {
  const lines = ['decrypt:'];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  - - rule: profile-id-rule`,
      `      profile_ids: ['${profileHex(i)}']`,
      `    - rule: meta-rule`,
      `      paths: ['/finance/', '*.pdf', '/home/p${i}/']`,
      `    - rule: per-profile-throttle-rule`,
      `      rule_id: quota-p${i}`,
      `      per_hour: 1000000`,
      `      per_day: 10000000`,
    );
  }
  lines.push(`  - - rule: meta-rule`, `      paths: ['/public/']`, '');
  return lines.join('\n');
}

/** A small deterministic generator (mulberry32), so every run benchmarks the same requests. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function requestsText(n, count = 1000) {
  const next = random(n);
  const metas = ['finance/2022/q1.xlsx', 'reports/annual.pdf', 'public/handbook.txt', 'hr/salaries.csv'];
  const out = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor(next() * n);
    const stranger = next() < 0.1;
    const meta = next() < 0.3 ? `home/p${i}/notes.txt` : metas[Math.floor(next() * metas.length)];
    out.push(JSON.stringify({
      at: '2022-03-15T10:00:00Z',
      request_type: 'decrypt',
      profile: { profile_id: stranger ? profileHex(n + k) : profileHex(i), profile_words: ['correct', 'horse', 'battery', 'staple'] },
      auth_meta: [{ meta, complete: true }],
    }));
  }
  return `${out.join('\n')}\n`;
}

export function writeWorkload(n, dir, count = 1000) {
  mkdirSync(dir, { recursive: true });
  const policy = join(dir, `per-profile-${n}.yml`);
  const requests = join(dir, `per-profile-${n}.jsonl`);
  writeFileSync(policy, policyText(n));
  writeFileSync(requests, requestsText(n, count));
  return { policy, requests };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [n, dir, count] = process.argv.slice(2);
  if (!n || !dir) {
    process.stderr.write('usage: node bench/workloads/per-profile.mjs <N> <out-dir> [requests]\n');
    process.exit(2);
  }
  const files = writeWorkload(Number(n), dir, count ? Number(count) : 1000);
  process.stdout.write(`${files.policy}\n${files.requests}\n`);
}
