/** The console's HTTP client against a real keyserver: sign-in outcomes, errors, sign-out on 401. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createApi, signIn, SIGN_IN_MESSAGES } from '../../console/src/api.js';
import type { RunningServer } from '../../runtime/server/app.js';
import { makeKeyserver, type Keyserver } from '../server/helpers.js';

let ks: Keyserver;
let srv: RunningServer;
beforeAll(async () => {
  ks = await makeKeyserver();
  srv = await ks.start();
});
afterAll(async () => {
  await srv?.close();
  ks?.cleanup();
});

describe('console api', () => {
  it('signs in with an admin token (spaces around it ignored) and reads', async () => {
    const api = await signIn(` ${ks.admin} `, srv.url);
    expect(typeof api).toBe('object');
    if (typeof api === 'string') throw new Error(api);
    expect((await api.get('/v1/status')).keyserver_id).toMatch(/^ks_/);
  });

  it('refuses a client token, an unknown token, and says when the server is away', async () => {
    expect(await signIn(ks.client, srv.url)).toBe('client-token');
    expect(await signIn('kss_00000000_nope', srv.url)).toBe('unknown-token');
    expect(await signIn(ks.admin, 'http://127.0.0.1:1')).toBe('unreachable');
    expect(SIGN_IN_MESSAGES['client-token']).toMatch(/^this is a client token: the console needs an admin token/);
  });

  it('turns a refusal into an ApiError with the server\'s message and body', async () => {
    const api = createApi(ks.admin, srv.url);
    const err = await api.send('PUT', '/v1/policy', 'decrypt: 5\n', 'application/yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toBe('the policy has errors and was not loaded');
    expect(((err as ApiError).body as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);
  });

  it('calls back on 401 (a token revoked while signed in)', async () => {
    const api = createApi('kss_00000000_revoked', srv.url);
    let called = 0;
    api.onUnauthorized(() => called++);
    await expect(api.get('/v1/quota')).rejects.toThrow(/a valid token is required/);
    expect(called).toBe(1);
  });
});
