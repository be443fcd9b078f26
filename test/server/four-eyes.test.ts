/** Four eyes over real HTTP and a real SQLite data directory: a load waits for another admin's approval. */
import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createToken } from '../../runtime/admin/tokens.js';
import { kss } from './cli-helpers.js';
import { decrypt, eventually, makeKeyserver, post, requestWithoutBody, stopLive, type Live } from './helpers.js';

const live: Live = { ks: null, srv: null };
afterEach(() => stopLive(live));

const REJECT = 'decrypt:\n  - - rule: reject-rule\n';

describe('policy_approvals: 2', () => {
  it('PUT /v1/policy is pending (202) until a second admin token approves it; the first cannot', async () => {
    const ks = (live.ks = await makeKeyserver());
    const second = await ks.withStore(async (s) => (await createToken(s, 'admin', 'second', 'test')).token);
    const set = kss(['keyserver', 'policy', '--require-approvals', '2', '--data-dir', ks.dir]);
    expect(set.stdout).toContain('policy_approvals: 2');
    const srv = (live.srv = await ks.start());

    const put = await post(srv.url, ks.admin, REJECT, '/v1/policy', 'PUT');
    expect(put.status).toBe(202);
    const id = put.json.pending;
    expect(put.json.message).toContain(`kss keyserver policy --approve ${id}`);
    expect((await post(srv.url, ks.client, decrypt())).json.approved).toBe(true); // still the old policy
    const listed = await requestWithoutBody(srv.url, second, '/v1/policy/pending');
    expect(listed.json).toMatchObject({ policy_approvals: 2, pending: [{ id, sha256: put.json.sha256 }] });
    expect(listed.json.pending[0]).not.toHaveProperty('source');

    const self = await requestWithoutBody(srv.url, ks.admin, `/v1/policy/approve?pending=${id}`, 'POST');
    expect(self.status).toBe(409);
    expect(self.json.error).toContain('another admin must approve it');
    expect((await requestWithoutBody(srv.url, ks.client, `/v1/policy/approve?pending=${id}`, 'POST')).status).toBe(403);
    expect((await requestWithoutBody(srv.url, second, '/v1/policy/approve', 'POST')).status).toBe(400);

    const ok = await requestWithoutBody(srv.url, second, `/v1/policy/approve?pending=${id}`, 'POST');
    expect(ok.status).toBe(200);
    expect(ok.json.version).toBe(2);
    expect(await eventually(async () => (await post(srv.url, ks.client, decrypt())).json.approved === false, 10_000)).toBe(true);

    const audit = JSON.parse(kss(['keyserver', 'audit', '--format', 'json', '--data-dir', ks.dir]).stdout);
    const load = audit.filter((e: { kind: string }) => e.kind === 'policy.load').at(-1);
    const [firstId, secondId] = await ks.withStore(async (s) => (await s.listTokens()).filter((t) => t.role === 'admin').map((t) => t.id));
    expect(load.actor).toBe(`api:${secondId}`);
    expect(load.data).toMatchObject({ pending: id, proposed_by: `api:${firstId}`, approved_by: `api:${secondId}` });
  });

  it('a CLI load is pending too, keyserver.yml keeps the active text, and the same CLI user cannot approve it', async () => {
    const ks = (live.ks = await makeKeyserver());
    const dd = ['--data-dir', ks.dir];
    kss(['keyserver', 'policy', '--require-approvals', '2', ...dd]);
    const file = `${ks.dir}/reject.yml`;
    writeFileSync(file, REJECT);
    const load = kss(['keyserver', 'policy', '--load', file, ...dd]);
    expect(load.status).toBe(0);
    const id = Number(/pending approval as (\d+)/.exec(load.stdout)![1]);
    expect(existsSync(`${ks.dir}/keyserver.yml`)).toBe(false); // a pending text does not become the working file
    const list = kss(['keyserver', 'policy', 'list', ...dd]).stdout;
    expect(list).toContain('policy_approvals: 2 (a load waits for another admin)');
    expect(list).toContain(`pending ${id}: sha256`);
    const self = kss(['keyserver', 'policy', '--approve', String(id), ...dd]);
    expect(self.status).toBe(1);
    expect(self.stderr).toContain('another admin must approve it');
    expect(kss(['keyserver', 'policy', '--require-approvals', '3', ...dd]).status).toBe(2);
  });
});
