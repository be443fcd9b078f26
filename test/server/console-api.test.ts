/** The admin endpoints the console reads, and the console's static files, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_AUDIT_PAGE } from '../../runtime/admin/audit-recent.js';
import type { RunningServer } from '../../runtime/server/app.js';
import { decrypt, makeKeyserver, post, PROFILE, requestWithoutBody, type Keyserver } from './helpers.js';

const OTHER = 'ffeeddccbbaa99887766554433221100';
let ks: Keyserver;
let srv: RunningServer;

beforeAll(async () => {
  ks = await makeKeyserver();
  srv = await ks.start();
  for (const p of [PROFILE, PROFILE, OTHER]) await post(srv.url, ks.client, decrypt(p));
});
afterAll(async () => {
  await srv?.close();
  ks?.cleanup();
});

const get = (path: string, token = ks.admin) => requestWithoutBody(srv.url, token, path);

describe('console endpoints', () => {
  it.each([
    ['GET', '/v1/instances'], ['GET', '/v1/policies'], ['GET', '/v1/audit'], ['POST', '/v1/audit/verify'], ['POST', '/v1/explain'],
  ])('%s %s needs an admin token: 401 without one, 403 with a client token', async (method, path) => {
    expect((await requestWithoutBody(srv.url, null, path, method)).status).toBe(401);
    const r = await requestWithoutBody(srv.url, ks.client, path, method);
    expect(r.status).toBe(403);
    expect(r.json.error).toBe('this endpoint needs an admin token');
  });

  it('GET /v1/instances lists this server Online with the policy version it runs', async () => {
    const r = await get('/v1/instances');
    expect(r.status).toBe(200);
    expect(r.json.instances).toEqual([expect.objectContaining({ status: 'Online', policy_version: 1 })]);
  });

  it('GET /v1/policies lists the versions, newest first; ?version=N answers its source', async () => {
    await ks.withStore(async (s) => {
      const { loadPolicy } = await import('../../runtime/admin/policy.js');
      await loadPolicy(s, 'rename:\n  - - rule: approve-rule\n', 'two.yml', 'test');
    });
    const list = await get('/v1/policies');
    expect(list.json.versions.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([[2, true], [1, false]]);
    expect(list.json.versions[0]).not.toHaveProperty('source');
    const one = await get('/v1/policies?version=2');
    expect(one.json).toMatchObject({ version: 2, active: true, source: 'rename:\n  - - rule: approve-rule\n' });
    const missing = await get('/v1/policies?version=9');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe('no policy version `9` (versions are 1 to 2)');
  });

  it('GET /v1/audit answers the newest first, filtered by profile and kind, within a limit', async () => {
    const all = (await get('/v1/audit?limit=500')).json.entries as Array<{ seq: number; kind: string; data: { profile_id?: string } }>;
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => b - a));
    const mine = (await get(`/v1/audit?profile=${PROFILE.toUpperCase()}`)).json.entries as typeof all;
    expect(mine).toHaveLength(2);
    expect(mine.every((e) => e.kind === 'decision' && e.data.profile_id === PROFILE)).toBe(true);
    expect((await get('/v1/audit?kind=decision&limit=1')).json.entries.map((e: { data: { profile_id: string } }) => e.data.profile_id)).toEqual([OTHER]);
    const before = (await get(`/v1/audit?kind=decision&before=${mine[0]!.seq}`)).json.entries as typeof all;
    expect(before.map((e) => e.seq)).toEqual([mine[1]!.seq]);
  });

  it.each([
    ['limit=0', '`limit` must be a positive integer, not `0`'],
    ['limit=abc', '`limit` must be a positive integer, not `abc`'],
    [`limit=${MAX_AUDIT_PAGE + 1}`, `\`limit\` is at most ${MAX_AUDIT_PAGE}`],
    ['profile=xyz', null],
  ])('GET /v1/audit?%s is refused with 400', async (query, message) => {
    const r = await get(`/v1/audit?${query}`);
    expect(r.status).toBe(400);
    if (message) expect(r.json.error).toBe(message);
    else expect(r.json.error).toMatch(/profile/);
  });

  it('POST /v1/audit/verify checks the whole chain', async () => {
    const r = await post(srv.url, ks.admin, '', '/v1/audit/verify');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, problems: [] });
    expect(r.json.count).toBeGreaterThan(3);
  });

  it('POST /v1/explain explains with the running policy, and records neither quota nor audit', async () => {
    const seq = async () => (await get('/v1/audit?limit=1')).json.entries[0].seq as number;
    const quota = async () => (await get('/v1/quota')).json.entries;
    const [seqBefore, quotaBefore] = [await seq(), await quota()];
    const r = await post(srv.url, ks.admin, { request: { request_type: 'rename', profile: { profile_id: PROFILE } }, at: '2026-03-16T10:00:00Z' }, '/v1/explain');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ approved: true, rule_set: 0, trace: [{ ruleSet: 0, approved: true }] });
    expect(r.json.text).toMatch(/^request `rename` at 2026-03-16T10:00:00(\.0+)?Z/);
    expect(await seq()).toBe(seqBefore);
    expect(await quota()).toEqual(quotaBefore);
  });

  it.each([
    ['{', /^the body is not valid JSON/],
    ['[]', /must be a JSON object/],
    [JSON.stringify({ request: { request_type: 5 } }), /request_type/],
    [JSON.stringify({ request: { request_type: 'rename' }, at: 'tuesday' }), /^`at` must be an ISO-8601 moment/],
  ])('POST /v1/explain refuses %s with 400 and says why', async (body, message) => {
    const r = await post(srv.url, ks.admin, body, '/v1/explain');
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(message);
  });
});

describe('GET /v1/policies/diff', () => {
  const OLD = `decrypt:\n  - - rule: profile-id-rule\n      profile_ids: [${PROFILE}]\nrename:\n  - - rule: approve-rule\n`;
  const NEW = `decrypt:\n  - - rule: profile-id-rule\n      profile_ids: [${PROFILE}, ${OTHER}]\nrename:\n  - - rule: approve-rule\n`;
  const load = (text: string) => ks.withStore(async (s) => {
    const { loadPolicy } = await import('../../runtime/admin/policy.js');
    return (await loadPolicy(s, text, 'diff.yml', 'test')).activation!.policy.version;
  });

  it('answers the semantic diff with witnesses the evaluator confirms, the counters, and the line diff of the sources', async () => {
    const from = await load(OLD);
    const to = await load(NEW);
    const r = await get(`/v1/policies/diff?from=${from}&to=${to}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.from).toMatchObject({ version: from });
    expect(r.json.to).toMatchObject({ version: to });
    expect(r.json.changes).toHaveLength(1);
    const change = r.json.changes[0];
    expect(change).toMatchObject({ request_type: 'decrypt', old: { approved: false, rule_set: null }, new: { approved: true, rule_set: 0 } });
    expect(change.description).toContain(OTHER);
    expect(change.witnesses[0]).toMatchObject({ request: { request_type: 'decrypt', profile: { profile_id: OTHER } }, old: { approved: false }, new: { approved: true } });
    expect(r.json.may_change).toEqual([]);
    expect(r.json.counters).toEqual({ kept: [], reset: [], fresh: [] });
    expect(r.json.source_diff).toEqual([{
      old_start: 1, old_lines: 5, new_start: 1, new_lines: 5,
      lines: [{ op: ' ', text: 'decrypt:' }, { op: ' ', text: '  - - rule: profile-id-rule' }, { op: '-', text: `      profile_ids: [${PROFILE}]` }, { op: '+', text: `      profile_ids: [${PROFILE}, ${OTHER}]` }, { op: ' ', text: 'rename:' }, { op: ' ', text: '  - - rule: approve-rule' }],
    }]);
    // The same version twice: nothing changes.
    const same = await get(`/v1/policies/diff?from=${to}&to=${to}`);
    expect(same.json).toMatchObject({ changes: [], may_change: [], source_diff: [] });
  });

  it.each([
    ['?from=1', 400, /needs `to`/],
    ['?from=x&to=1', 400, /`from` must be a positive integer, not `x`/],
    ['?from=1&to=99', 404, /no policy version `99`/],
  ])('refuses %s with %i and says why', async (query, status, message) => {
    const r = await get(`/v1/policies/diff${query}`);
    expect(r.status).toBe(status);
    expect(r.json.error).toMatch(message);
  });

  it('needs an admin token', async () => {
    expect((await get('/v1/policies/diff?from=1&to=1', ks.client)).status).toBe(403);
  });
});

describe('console files', () => {
  it('GET /console redirects to /console/, which is the page with a strict CSP', async () => {
    const redirect = await fetch(`${srv.url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/console/');
    const page = await fetch(`${srv.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="app.js"></script>');
    expect(html).not.toMatch(/<script>|<style|style=/);
    const js = await fetch(`${srv.url}/console/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it.each(['/console/../package.json', '/console/%2e%2e/package.json', '/console/..%2fpackage.json', '/console/nope.js', '/console/src/main.tsx'])('%s is 404: only the built files are served', async (path) => {
    const r = await fetch(`${srv.url}${path}`);
    expect(r.status).toBe(404);
    expect(await r.text()).not.toContain('"name": "kss"');
  });
});
