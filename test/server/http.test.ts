import { describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { verifyDecision } from '../../runtime/identity/sign.js';
import { sha256Hex } from '../../runtime/identity/sign.js';
import { setEnabled } from '../../runtime/admin/keyserver.js';
import { revokeToken } from '../../runtime/admin/tokens.js';
import { decrypt, eventually, post, PROFILE, requestWithoutBody, keyserverForFile } from './helpers.js';

const file = keyserverForFile();

describe('auth and roles', () => {
  it('401 without a token or with an unknown one', async () => {
    expect((await post(file.srv.url, null, decrypt())).status).toBe(401);
    expect((await post(file.srv.url, 'kss_00000000_nope', decrypt())).status).toBe(401);
    expect((await requestWithoutBody(file.srv.url, null, '/v1/quota')).status).toBe(401);
  });

  it('a client token gets 403 on every admin endpoint; an admin token gets through', async () => {
    for (const [method, path] of [['GET', '/v1/quota'], ['DELETE', '/v1/quota?profile=00'], ['GET', '/v1/policy'], ['PUT', '/v1/policy'], ['POST', '/v1/enable'], ['POST', '/v1/disable']]) {
      expect((await requestWithoutBody(file.srv.url, file.ks.client, path!, method)).status, `${method} ${path}`).toBe(403);
    }
    expect((await requestWithoutBody(file.srv.url, file.ks.admin, '/v1/quota')).status).toBe(200);
    expect((await requestWithoutBody(file.srv.url, file.ks.admin, '/v1/policy')).json).toMatchObject({ version: 1, source: expect.stringContaining('per-profile-throttle-rule') });
  });

  it('a token revoked from the CLI stops working within a second', async () => {
    const { token, id } = await file.ks.withStore(async (s) => {
      const { createToken } = await import('../../runtime/admin/tokens.js');
      const t = await createToken(s, 'client', 'short-lived', 'test');
      return { token: t.token, id: t.record.id };
    });
    expect((await post(file.srv.url, token, { request_type: 'rename' })).status).toBe(200);
    await file.ks.withStore((s) => revokeToken(s, id, 'test'));
    expect(await eventually(async () => (await post(file.srv.url, token, { request_type: 'rename' })).status === 401)).toBe(true);
  });
});

describe('bad input', () => {
  const cases: Array<[string, unknown]> = [
    ['not JSON', '{"request_type": '],
    ['not an object', '[1,2]'],
    ['missing request_type', { profile: { profile_id: PROFILE } }],
    ['unknown request type', { request_type: 'launch' }],
    ['non-hex profile id', decrypt('xyz')],
    ['odd hex digits', { request_type: 'decrypt', device_id: 'abc' }],
    ['meta empty', decrypt(PROFILE, { auth_meta: [{ meta: '', complete: true }] })],
    ['meta with a leading slash', decrypt(PROFILE, { auth_meta: [{ meta: '/etc/passwd', complete: true }] })],
    ['meta longer than 4096', decrypt(PROFILE, { auth_meta: [{ meta: 'a'.repeat(4097), complete: true }] })],
    ['complete missing', decrypt(PROFILE, { auth_meta: [{ meta: 'a/b' }] })],
  ];
  for (const [name, body] of cases) {
    it(`400 for ${name}, with a message`, async () => {
      const r = await post(file.srv.url, file.ks.client, body);
      expect(r.status).toBe(400);
      expect(r.json.error).toEqual(expect.any(String));
      expect(r.json.error.length).toBeGreaterThan(5);
    });
  }

  it('a 4096-character meta is fine', async () => {
    expect((await post(file.srv.url, file.ks.client, { request_type: 'rename', auth_meta: [{ meta: 'a'.repeat(4096), complete: true }] })).status).toBe(200);
  });

  it('413 for a body over 1 MiB, whether declared or streamed', async () => {
    const big = JSON.stringify({ request_type: 'rename', pad: 'x'.repeat(1024 * 1024) });
    expect((await post(file.srv.url, file.ks.client, big)).status).toBe(413);
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(file.srv.url);
      const req = httpRequest({ host: u.hostname, port: u.port, path: '/v1/requests', method: 'POST', headers: { authorization: `Bearer ${file.ks.client}`, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(64 * 1024);
      for (let i = 0; i < 20; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
  });

  it('404 for an unknown path, 405 for a wrong method', async () => {
    expect((await requestWithoutBody(file.srv.url, file.ks.client, '/v1/nothing')).status).toBe(404);
    expect((await requestWithoutBody(file.srv.url, file.ks.client, '/v1/requests')).status).toBe(405);
  });
});

describe('decisions', () => {
  it('answers {approved, rule_set, rule_ids, decision_id, signature}, verifiable with /v1/status', async () => {
    const body = JSON.stringify({ request_type: 'rename' });
    const r = await post(file.srv.url, file.ks.client, body);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ approved: true, rule_set: 0, rule_ids: [expect.any(String)], decision_id: expect.any(String), signature: expect.any(String) });
    const status = (await requestWithoutBody(file.srv.url, null, '/v1/status')).json;
    expect(status.keyserver_id).toBe(file.srv.keyserverId);
    const fields = {
      keyserverId: status.keyserver_id, decisionId: r.json.decision_id, requestSha256: sha256Hex(body), decidedAt: r.json.decided_at,
      policyVersion: status.policy.version, policySha256: status.policy.sha256, nonce: null, approved: true, ruleSet: 0, ruleIds: r.json.rule_ids,
    };
    expect(r.json.batch).toMatchObject({ index: expect.any(Number), size: expect.any(Number), path: expect.any(Array) });
    expect(verifyDecision(status.public_key, fields, r.json.signature, { batch: r.json.batch })).toBe(true);
    expect(verifyDecision(status.public_key, { ...fields, requestSha256: sha256Hex('{"request_type":"decrypt"}') }, r.json.signature, { batch: r.json.batch })).toBe(false);
    // The root's signature is not the message's own.
    expect(verifyDecision(status.public_key, fields, r.json.signature)).toBe(false);
  });

  it('a denial is an answer too (200, approved false, rule_set null)', async () => {
    const r = await post(file.srv.url, file.ks.client, { request_type: 'secure_export' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ approved: false, rule_set: null, rule_ids: [] });
  });

  it('503 while disabled (from the API or the CLI), answers again when enabled', async () => {
    expect((await requestWithoutBody(file.srv.url, file.ks.admin, '/v1/disable', 'POST')).status).toBe(200);
    expect((await post(file.srv.url, file.ks.client, { request_type: 'rename' })).status).toBe(503);
    expect((await requestWithoutBody(file.srv.url, file.ks.admin, '/v1/enable', 'POST')).status).toBe(200);
    expect((await post(file.srv.url, file.ks.client, { request_type: 'rename' })).status).toBe(200);
    await file.ks.withStore((s) => setEnabled(s, false, 'cli'));
    expect(await eventually(async () => (await post(file.srv.url, file.ks.client, { request_type: 'rename' })).status === 503)).toBe(true);
    await file.ks.withStore((s) => setEnabled(s, true, 'cli'));
    expect(await eventually(async () => (await post(file.srv.url, file.ks.client, { request_type: 'rename' })).status === 200)).toBe(true);
  });

  it('/metrics speaks Prometheus text; /healthz is ok', async () => {
    const m = await requestWithoutBody(file.srv.url, null, '/metrics');
    expect(m.status).toBe(200);
    expect(m.text).toMatch(/^kss_decisions_total\{request_type="rename",result="approved"\} \d+$/m);
    expect(m.text).toMatch(/^kss_decision_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
    expect(m.text).toContain('# TYPE kss_decision_duration_seconds histogram');
    expect((await requestWithoutBody(file.srv.url, null, '/healthz')).json).toMatchObject({ status: 'ok', store: 'ok' });
  });
});
