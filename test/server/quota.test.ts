import { afterEach, describe, expect, it } from 'vitest';
import { clearQuota } from '../../runtime/admin/quota.js';
import { loadPolicy } from '../../runtime/admin/policy.js';
import type { RunningServer } from '../../runtime/server/app.js';
import { kssAsync } from './cli-helpers.js';
import { decrypt, eventually, makeKeyserver, post, PROFILE, requestWithoutBody, THROTTLE_POLICY, type Keyserver } from './helpers.js';

const OTHER = 'ffeeddccbbaa99887766554433221100';
let ks: Keyserver | null = null;
let srv: RunningServer | null = null;
afterEach(async () => {
  await srv?.close();
  ks?.cleanup();
  ks = srv = null;
});

const search = (p = PROFILE) => ({ request_type: 'search', profile: { profile_id: p } });
async function approvals(url: string, token: string, body: unknown, n: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await post(url, token, body)).json.approved);
  return out;
}

describe('quotas over HTTP', () => {
  it('persistent counts survive a restart; persistent:false counts start again', async () => {
    ks = await makeKeyserver();
    srv = await ks.start();
    expect(await approvals(srv.url, ks.client, decrypt(), 4)).toEqual([true, true, true, false]);
    expect(await approvals(srv.url, ks.client, search(), 3)).toEqual([true, true, false]);
    expect(await approvals(srv.url, ks.client, decrypt(OTHER), 1)).toEqual([true]); // counts are per profile
    await srv.close();
    srv = await ks.start();
    expect(await approvals(srv.url, ks.client, decrypt(), 1)).toEqual([false]);
    expect(await approvals(srv.url, ks.client, search(), 1)).toEqual([true]);
  });

  it('GET /v1/quota lists who is at quota; DELETE clears one profile; a CLI clear is seen at once', async () => {
    ks = await makeKeyserver();
    srv = await ks.start();
    await approvals(srv.url, ks.client, decrypt(), 3);
    await approvals(srv.url, ks.client, search(), 1);
    const list = (await requestWithoutBody(srv.url, ks.admin, '/v1/quota')).json.entries;
    expect(list).toEqual(expect.arrayContaining([
      { rule_id: 'daily', profile_id: PROFILE, hour_count: 3, day_count: 3, at_quota: true, persistent: true, instance: null },
      { rule_id: 'mem', profile_id: PROFILE, hour_count: 1, day_count: 1, at_quota: false, persistent: false, instance: srv.instanceId },
    ]));
    expect((await requestWithoutBody(srv.url, ks.admin, '/v1/quota', 'DELETE')).status).toBe(400);
    expect((await requestWithoutBody(srv.url, ks.admin, `/v1/quota?profile=${PROFILE}&rule_id=daily`, 'DELETE')).json).toEqual({ cleared: 1 });
    expect(await approvals(srv.url, ks.client, decrypt(), 4)).toEqual([true, true, true, false]);
    await ks.withStore((s) => clearQuota(s, { profileId: PROFILE }, 'cli'));
    expect(await approvals(srv.url, ks.client, decrypt(), 1)).toEqual([true]);
  });

  it('a CLI clear of one profile clears its in-memory counts in the running server, and only its', async () => {
    ks = await makeKeyserver();
    srv = await ks.start();
    expect(await approvals(srv.url, ks.client, search(), 3)).toEqual([true, true, false]);
    expect(await approvals(srv.url, ks.client, search(OTHER), 3)).toEqual([true, true, false]);
    await ks.withStore((s) => clearQuota(s, { profileId: PROFILE }, 'cli'));
    expect(await eventually(async () => (await post(srv!.url, ks!.client, search())).json.approved === true)).toBe(true);
    expect(await approvals(srv.url, ks.client, search(OTHER), 1)).toEqual([false]);
    // A clear of everything reaches every profile.
    await ks.withStore((s) => clearQuota(s, {}, 'cli'));
    expect(await eventually(async () => (await post(srv!.url, ks!.client, search(OTHER))).json.approved === true)).toBe(true);
  });

  it('kss keyserver quota list shows the running server\'s in-memory counters with its instance; a CLI clear clears them there', async () => {
    ks = await makeKeyserver();
    srv = await ks.start();
    expect(await approvals(srv.url, ks.client, search(), 3)).toEqual([true, true, false]);
    const list = async () => JSON.parse((await kssAsync(['keyserver', 'quota', 'list', '--format', 'json', '--tz', 'UTC', '--data-dir', ks!.dir])).stdout) as Array<Record<string, unknown>>;
    const mine = { rule_id: 'mem', profile_id: PROFILE, hour_count: 2, day_count: 2, at_quota: true, persistent: false, instance: srv.instanceId };
    // The mirror is written at the server's polls: wait until it has the last use too.
    expect(await eventually(async () => (await list())[0]?.day_count === 2, 5000)).toBe(true);
    expect(await list()).toEqual([mine]);
    const text = (await kssAsync(['keyserver', 'quota', 'list', '--tz', 'UTC', '--data-dir', ks.dir])).stdout;
    expect(text).toMatch(new RegExp(`mem\\s+${PROFILE}\\s+2\\s+2\\s+yes\\s+memory\\s+${srv.instanceId}`));
    expect((await kssAsync(['keyserver', 'quota', 'clear', '--profile', PROFILE, '--data-dir', ks.dir])).stdout).toMatch(/cleared 0 counters in the store; running servers clear the matching in-memory ones/);
    expect(await eventually(async () => (await post(srv!.url, ks!.client, search())).json.approved === true)).toBe(true);
    expect(await eventually(async () => (await list())[0]?.day_count === 1, 5000)).toBe(true);
  });

  it('a policy loaded from the CLI is live within a second and keeps counters whose rule_id is unchanged', async () => {
    ks = await makeKeyserver();
    srv = await ks.start();
    await approvals(srv.url, ks.client, decrypt(), 2);
    await approvals(srv.url, ks.client, search(), 2);
    await approvals(srv.url, ks.client, decrypt(OTHER), 1);
    // `daily` keeps its id (and gets a larger limit); `mem` keeps its id; a new throttle appears.
    const next = THROTTLE_POLICY.replace('per_day: 3', 'per_day: 4')
      .replace('rename:\n  - - rule: approve-rule\n', 'rename:\n  - - rule: per-profile-throttle-rule\n      per_day: 1\n      persistent: true\n');
    expect(next).toContain('per_day: 4');
    expect(next).not.toContain('approve-rule');
    const r = await ks.withStore((s) => loadPolicy(s, next, 'next.yml', 'cli'));
    expect(r.activation).toMatchObject({ policy: { version: 2 }, carried: ['daily'], reset: [] });
    expect(await eventually(async () => (await requestWithoutBody(srv!.url, null, '/v1/status')).json.policy.version === 2)).toBe(true);
    expect(await approvals(srv.url, ks.client, decrypt(), 3)).toEqual([true, true, false]); // 2 used + 2 more = per_day 4
    expect(await approvals(srv.url, ks.client, search(), 1)).toEqual([false]); // in-memory count kept too
    // Now drop `daily`: its counters are reset and the report says so.
    const third = 'decrypt:\n  - - rule: per-profile-throttle-rule\n      rule_id: weekly-ish\n      per_day: 1\n      persistent: true\n'
      + 'search:\n  - - rule: per-profile-throttle-rule\n      rule_id: mem\n      per_day: 2\n';
    const r3 = await ks.withStore((s) => loadPolicy(s, third, 'third.yml', 'cli'));
    expect(r3.activation).toMatchObject({ carried: [], reset: ['daily'] });
    expect(await eventually(async () => (await requestWithoutBody(srv!.url, null, '/v1/status')).json.policy.version === 3)).toBe(true);
    expect(await approvals(srv.url, ks.client, decrypt(), 2)).toEqual([true, false]);
    // Resetting `daily` in the store did not wipe the in-memory counters of `mem`, which carried over.
    expect(await approvals(srv.url, ks.client, search(), 1)).toEqual([false]);
  });

  it('PUT /v1/policy refuses a policy with errors and returns its diagnostics', async () => {
    ks = await makeKeyserver();
    srv = await ks.start();
    const res = await fetch(`${srv.url}/v1/policy`, { method: 'PUT', headers: { authorization: `Bearer ${ks.admin}` }, body: 'decrypt:\n  - - rule: per-profile-throttle-rule\n      per_days: 3\n' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { diagnostics: Array<{ severity: string }> };
    expect(body.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ severity: 'error', range: { start: { line: 3 } } });
    expect((await requestWithoutBody(srv.url, null, '/v1/status')).json.policy.version).toBe(1);
  });

  it('PUT /v1/policy refuses a body that is not UTF-8, at its first bad byte (it loaded with U+FFFD before)', async () => {
    ks = await makeKeyserver();
    srv = await ks.start();
    const body = Buffer.concat([Buffer.from("decrypt:\n  - - rule: meta-rule\n      paths: ['/caf"), Buffer.from([0xe9]), Buffer.from("']\n")]);
    const res = await fetch(`${srv.url}/v1/policy`, { method: 'PUT', headers: { authorization: `Bearer ${ks.admin}` }, body });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { diagnostics: Array<{ code: string; range: { start: { line: number; column: number } } }> };
    expect(answer.diagnostics).toEqual([expect.objectContaining({ code: 'KSS1011', range: expect.objectContaining({ start: expect.objectContaining({ line: 3, column: 20 }) }) })]);
    expect((await requestWithoutBody(srv.url, null, '/v1/status')).json.policy.version).toBe(1);
  });

  it('PUT /v1/policy checks in the server\'s zone: `EST` in America/New_York is refused there, and loads under UTC (SPEC 4.3)', async () => {
    const est = 'decrypt:\n  - - rule: time-range-rule\n      time_start: 9:00am EST\n      time_end: 5:00pm EST\n';
    const keyserver = (ks = await makeKeyserver());
    const put = async (url: string) => fetch(`${url}/v1/policy`, { method: 'PUT', headers: { authorization: `Bearer ${keyserver.admin}` }, body: est });
    srv = await keyserver.start({ tz: 'America/New_York' });
    const refused = await put(srv.url);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { diagnostics: Array<{ code: string }> }).diagnostics.map((d) => d.code)).toEqual(['KSS2015', 'KSS2015']);
    await srv.close();
    srv = await keyserver.start({ tz: 'UTC' });
    const loaded = await put(srv.url);
    expect(loaded.status).toBe(200);
    expect(((await loaded.json()) as { diagnostics: Array<{ code: string }> }).diagnostics.map((d) => d.code)).toEqual(['KSS3007', 'KSS3007']);
  });

  it('a second server on the same data directory refuses to start', async () => {
    ks = await makeKeyserver();
    srv = await ks.start();
    await expect(ks.start()).rejects.toThrow(/already running/);
  });
});
