/** Issue 10 §2: PUT /v1/policy compiles in a worker thread with limits; decisions never wait behind it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../runtime/server/app.js';
import { makeKeyserver, post, type Keyserver } from './helpers.js';

/** A valid policy that takes the compiler a while: many rule sets with distinct patterns. */
function heavyPolicy(ruleSets: number): string {
  const lines = ['rename:', '  - - rule: approve-rule', 'decrypt:'];
  for (let i = 0; i < ruleSets; i++) lines.push('  - - rule: meta-rule', `      paths: ["/p${i}/*/x${i}*.pdf", "/q${i}/**"]`, `      regexes: ["^r${i}/[a-z]+[0-9]{2}$"]`);
  return `${lines.join('\n')}\n`;
}

let ks: Keyserver;
let srv: RunningServer;
beforeAll(async () => {
  ks = await makeKeyserver();
  srv = await startServer({ dataDir: ks.dir, port: 0, tz: 'UTC', logger: () => {}, pollMs: 50, compileLimits: { memoryMb: 256, timeMs: 60_000 } });
});
afterAll(async () => {
  await srv.close();
  ks.cleanup();
});

const put = (url: string, body: string) => post(url, ks.admin, body, '/v1/policy', 'PUT');

describe('PUT /v1/policy in a worker thread', () => {
  it('decisions complete while a heavy policy compiles', async () => {
    const started = Date.now();
    let putDone = 0;
    const load = put(srv.url, heavyPolicy(800)).then((r) => ((putDone = Date.now()), r));
    // Give the load time to reach the compiler, then ask for decisions while it works.
    await new Promise((r) => setTimeout(r, 150));
    const answered: number[] = [];
    while (putDone === 0 && answered.length < 50) {
      const r = await post(srv.url, ks.client, { request_type: 'rename' });
      expect(r.status).toBe(200);
      answered.push(Date.now());
    }
    const loaded = await load;
    expect(loaded.status, JSON.stringify(loaded.json)).toBe(200);
    expect(putDone - started).toBeGreaterThan(300);
    // At least one decision was answered before the load finished.
    expect(answered.filter((t) => t < putDone).length).toBeGreaterThan(0);
  });

  it('a policy over the time limit is refused with 422 naming the limit; decisions go on', async () => {
    const other = await makeKeyserver();
    const s = await startServer({ dataDir: other.dir, port: 0, tz: 'UTC', logger: () => {}, pollMs: 50, compileLimits: { memoryMb: 256, timeMs: 50 } });
    try {
      const r = await post(s.url, other.admin, heavyPolicy(1500), '/v1/policy', 'PUT');
      expect(r.status).toBe(422);
      expect(r.json.error).toBe('compiling the policy took longer than the time limit (50 ms); simplify the policy');
      expect((await post(s.url, other.client, { request_type: 'rename' })).status).toBe(200);
    } finally {
      await s.close();
      other.cleanup();
    }
  });

  it('a policy over the memory limit is refused with 422 naming the limit, and the server keeps answering', async () => {
    const other = await makeKeyserver();
    const s = await startServer({ dataDir: other.dir, port: 0, tz: 'UTC', logger: () => {}, pollMs: 50, compileLimits: { memoryMb: 8, timeMs: 60_000 } });
    try {
      const r = await post(s.url, other.admin, heavyPolicy(6000), '/v1/policy', 'PUT');
      expect(r.status).toBe(422);
      expect(r.json.error).toBe('compiling the policy needs more memory than the limit (8 MiB); simplify the policy');
      expect((await post(s.url, other.client, { request_type: 'rename' })).status).toBe(200);
    } finally {
      await s.close();
      other.cleanup();
    }
  });
});
