/** Issue 10 §4 and §5 over real HTTP: input another reader would read differently, replays, revocation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { createToken, revokeToken } from '../../runtime/admin/tokens.js';
import { answerFields, verifyDecision, type DecisionAnswer } from '../../runtime/identity/sign.js';
import type { RunningServer } from '../../runtime/server/app.js';
import { makeKeyserver, post, PROFILE, requestWithoutBody, type Keyserver } from './helpers.js';

const POLICY = `
decrypt:
  - - rule: meta-rule
      paths: [/public]
rename:
  - - rule: approve-rule
`;

let ks: Keyserver;
let srv: RunningServer;
beforeAll(async () => {
  ks = await makeKeyserver(POLICY);
  srv = await ks.start();
});
afterAll(async () => {
  await srv.close();
  ks.cleanup();
});

const meta = (m: string) => ({ request_type: 'decrypt', profile: { profile_id: PROFILE }, auth_meta: [{ meta: m, complete: true }] });

/** POST raw bytes (fetch would re-encode a string as UTF-8). */
function postBytes(bytes: Buffer): Promise<{ status: number; json: any }> {
  const u = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: '/v1/requests', method: 'POST', headers: { authorization: `Bearer ${ks.client}`, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

describe('input another reader would read differently is refused with the field and the reason', () => {
  it('`public/../secret` is not approved under `paths: [/public]`', async () => {
    expect((await post(srv.url, ks.client, meta('public/report.pdf'))).json.approved).toBe(true);
    const r = await post(srv.url, ks.client, meta('public/../secret'));
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('`auth_meta[0].meta` has a `..` component (send the path as the client resolved it)');
  });

  it.each([
    ['public/./x', '`auth_meta[0].meta` has a `.` component'],
    ['public//x', '`auth_meta[0].meta` has an empty component'],
    ['public/x\u0000', '`auth_meta[0].meta` holds a control character'],
    ['public/\u001bx', '`auth_meta[0].meta` holds a control character'],
    ['..', '`auth_meta[0].meta` has a `..` component'],
  ])('meta %j: 400', async (m, message) => {
    const r = await post(srv.url, ks.client, meta(m));
    expect(r.status).toBe(400);
    expect(r.json.error).toContain(message);
  });

  it('`auth_meta` given twice is refused, not approved on the second', async () => {
    const body = `{"request_type":"decrypt","profile":{"profile_id":"${PROFILE}"},"auth_meta":[{"meta":"secret/x","complete":true}],"auth_meta":[{"meta":"public/x","complete":true}]}`;
    const r = await post(srv.url, ks.client, body);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('`auth_meta` is given twice (each key may appear once)');
  });

  it('a lone surrogate and invalid UTF-8 get 400', async () => {
    const lone = await post(srv.url, ks.client, `{"request_type":"decrypt","auth_meta":[{"meta":"public/\\ud800","complete":true}]}`);
    expect(lone.status).toBe(400);
    expect(lone.json.error).toContain('`auth_meta[0].meta` holds a lone surrogate');
    const bad = await postBytes(Buffer.concat([Buffer.from('{"request_type":"decrypt","auth_meta":[{"meta":"public/'), Buffer.from([0xc3, 0x28]), Buffer.from('","complete":true}]}')]));
    expect(bad).toEqual({ status: 400, json: { error: 'the body is not valid UTF-8' } });
  });

  it('a nonce that is not 1 to 128 printable ASCII characters gets 400', async () => {
    for (const nonce of ['', 'x'.repeat(129), 'tab\there', 'é']) {
      const r = await post(srv.url, ks.client, { request_type: 'rename', nonce });
      expect(r.status, JSON.stringify(nonce)).toBe(400);
      expect(r.json.error).toBe('`nonce` must be 1 to 128 printable ASCII characters');
    }
  });
});

describe('answers that cannot be replayed or confused', () => {
  it('the signature covers the decision time, the policy version and sha-256, and the nonce', async () => {
    const body = JSON.stringify({ request_type: 'rename', nonce: 'client-nonce-1' });
    const r = await post(srv.url, ks.client, body);
    const a = r.json as DecisionAnswer;
    const status = (await requestWithoutBody(srv.url, null, '/v1/status')).json;
    expect(a).toMatchObject({ nonce: 'client-nonce-1', policy_version: status.policy.version, policy_sha256: status.policy.sha256 });
    expect(Math.abs(Date.parse(a.decided_at) - Date.now())).toBeLessThan(60_000);
    const fields = answerFields(status.keyserver_id, body, a);
    expect(verifyDecision(status.public_key, fields, a.signature, { nonce: 'client-nonce-1', maxAgeMs: 60_000, batch: a.batch })).toBe(true);
    // Replayed as the answer to another request of the same body with a fresh nonce, or a day later.
    expect(verifyDecision(status.public_key, fields, a.signature, { nonce: 'client-nonce-2', batch: a.batch })).toBe(false);
    expect(verifyDecision(status.public_key, fields, a.signature, { maxAgeMs: 60_000, now: Date.now() + 86_400_000, batch: a.batch })).toBe(false);
    expect(verifyDecision(status.public_key, { ...fields, policyVersion: fields.policyVersion + 1 }, a.signature, { batch: a.batch })).toBe(false);
    expect(verifyDecision(status.public_key, { ...fields, decidedAt: new Date(Date.now() + 86_400_000).toISOString() }, a.signature, { batch: a.batch })).toBe(false);
  });
});

describe('revocation', () => {
  it('a revoked token is refused on the very next request (no cache lag)', async () => {
    for (let i = 0; i < 5; i++) {
      const { token, id } = await ks.withStore(async (s) => {
        const t = await createToken(s, 'client', `short-${i}`, 'test');
        return { token: t.token, id: t.record.id };
      });
      expect((await post(srv.url, token, { request_type: 'rename' })).status).toBe(200);
      await ks.withStore((s) => revokeToken(s, id, 'test'));
      expect((await post(srv.url, token, { request_type: 'rename' })).status).toBe(401);
    }
  });
});
