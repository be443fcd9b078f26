/** Issue 10 §2: PUT /v1/policy compiles in a worker thread with limits; decisions never wait behind it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../runtime/server/app.js';
import { makeKeyserver, post, requestWithoutBody, type Keyserver } from './helpers.js';

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

/** A keyserver of its own, served with these compile limits, for one test. */
async function withLimits(compileLimits: { memoryMb: number; timeMs: number }, f: (s: RunningServer, other: Keyserver) => Promise<void>): Promise<void> {
  const other = await makeKeyserver();
  const s = await startServer({ dataDir: other.dir, port: 0, tz: 'UTC', logger: () => {}, pollMs: 50, compileLimits });
  try {
    await f(s, other);
  } finally {
    await s.close();
    other.cleanup();
  }
}

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

  it.each([
    ['time', { memoryMb: 256, timeMs: 50 }, 1500, 'compiling the policy took longer than the time limit (50 ms); simplify the policy'],
    ['memory', { memoryMb: 8, timeMs: 60_000 }, 6000, 'compiling the policy needs more memory than the limit (8 MiB); simplify the policy'],
  ])('a policy over the %s limit is refused with 422 naming the limit, and the server keeps answering', async (_limit, limits, ruleSets, message) => {
    await withLimits(limits, async (s, other) => {
      const r = await post(s.url, other.admin, heavyPolicy(ruleSets), '/v1/policy', 'PUT');
      expect(r.status).toBe(422);
      expect(r.json.error).toBe(message);
      expect((await post(s.url, other.client, { request_type: 'rename' })).status).toBe(200);
    });
  });

  it('GET /v1/policies/diff of two large versions runs in the worker thread: decisions are answered meanwhile; over the time limit it is 422', async () => {
    for (const n of [150, 151]) expect((await put(srv.url, heavyPolicy(n))).status).toBe(200);
    const versions = (await requestWithoutBody(srv.url, ks.admin, '/v1/policies')).json.versions.map((v: { version: number }) => v.version);
    const [to, from] = versions as number[];
    let diffDone = 0;
    const diff = requestWithoutBody(srv.url, ks.admin, `/v1/policies/diff?from=${from}&to=${to}`).then((r) => ((diffDone = Date.now()), r));
    await new Promise((r) => setTimeout(r, 100));
    const answered: number[] = [];
    while (diffDone === 0 && answered.length < 50) {
      expect((await post(srv.url, ks.client, { request_type: 'rename' })).status).toBe(200);
      answered.push(Date.now());
    }
    const r = await diff;
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.changes.map((c: { request_type: string }) => c.request_type)).toEqual(['decrypt']);
    expect(answered.filter((t) => t < diffDone).length).toBeGreaterThan(0);

    await withLimits({ memoryMb: 256, timeMs: 50 }, async (s, other) => {
      // Loaded beside the server (no limit there): comparing it takes far longer than 50 ms.
      await other.withStore(async (store) => (await import('../../runtime/admin/policy.js')).loadPolicy(store, heavyPolicy(300), 'heavy.yml', 'test'));
      const tooLong = await requestWithoutBody(s.url, other.admin, '/v1/policies/diff?from=1&to=2');
      expect(tooLong.status).toBe(422);
      expect(tooLong.json.error).toBe('comparing the two policies took longer than the time limit (50 ms); compare smaller versions with `kss diff`');
      expect((await post(s.url, other.client, { request_type: 'rename' })).status).toBe(200);
    });
  });
});
