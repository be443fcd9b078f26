// The server benchmarks' load, in one place: the two policies, the 1,000 request bodies (cycled
// over 1,000 profiles so throttle rows spread out), a process's CPU from /proc, and one autocannon
// run with latencies to the microsecond. bench/server.bench.mjs, server-profile.mjs and
// http-floor.mjs use it, so their figures are taken under the same load
// (bench/wrk-requests.lua spells the same bodies for wrk).
import { existsSync, readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { recordLatencies } from './latency.mjs';

export const SCENARIOS = {
  stateless: `decrypt:
  - - rule: meta-rule
      paths: ["/finance/*"]
    - rule: profile-id-rule
      profile_ids: ["00112233445566778899aabbccddeeff", "correct horse battery staple"]
  - - rule: meta-rule
      paths: ["*.pdf"]
`,
  'throttled-persistent': `decrypt:
  - - rule: meta-rule
      paths: ["*.pdf"]
    - rule: per-profile-throttle-rule
      rule_id: bench-daily
      per_hour: 1000000
      per_day: 1000000
      persistent: true
`,
};

export function decisionRequests() {
  return Array.from({ length: 1000 }, (_, i) => ({
    method: 'POST', path: '/v1/requests',
    body: JSON.stringify({ request_type: 'decrypt', profile: { profile_id: i.toString(16).padStart(32, '0') }, auth_meta: [{ meta: `finance/2022/report-${i}.pdf`, complete: true }] }),
  }));
}

/** CPU seconds (user + system) the process has used, from /proc (Linux); null elsewhere. */
export function cpuSeconds(pid) {
  const f = `/proc/${pid}/stat`;
  if (!existsSync(f)) return null;
  const fields = readFileSync(f, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/**
 * One autocannon run of the decision requests: requests/s, total, errors (and non-2xx), latency
 * percentiles in ms (bench/latency.mjs) and the CPU seconds autocannon took (it runs in this process).
 */
export function autocannonLoad({ url, token, seconds, connections }) {
  const cpu0 = process.cpuUsage();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections, duration: seconds, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, requests: decisionRequests() },
      (err, r) => {
        if (err) return reject(err);
        const cpu = process.cpuUsage(cpu0);
        resolve({ rate: r.requests.average, total: r.requests.total, errors: r.errors + r.non2xx, ...latencies.stats(), loadgenCpuSeconds: (cpu.user + cpu.system) / 1e6 });
      },
    );
    const latencies = recordLatencies(instance);
  });
}
