/** The console's HTTP client against a real keyserver: sign-in outcomes, errors, sign-out on 401. */
import { describe, expect, it } from 'vitest';
import { ApiError, createApi, signIn, SIGN_IN_MESSAGES } from '../../console/src/api.js';
import { keyserverForFile } from '../server/helpers.js';

const file = keyserverForFile();

describe('console api', () => {
  it('signs in with an admin token (spaces around it ignored) and reads', async () => {
    const api = await signIn(` ${file.ks.admin} `, file.srv.url);
    expect(typeof api).toBe('object');
    if (typeof api === 'string') throw new Error(api);
    expect((await api.get('/v1/status')).keyserver_id).toMatch(/^ks_/);
  });

  it('refuses a client token, an unknown token, and says when the server is away', async () => {
    expect(await signIn(file.ks.client, file.srv.url)).toBe('client-token');
    expect(await signIn('kss_00000000_nope', file.srv.url)).toBe('unknown-token');
    expect(await signIn(file.ks.admin, 'http://127.0.0.1:1')).toBe('unreachable');
    expect(SIGN_IN_MESSAGES['client-token']).toMatch(/^this is a client token: the console needs an admin token/);
  });

  it('turns a refusal into an ApiError with the server\'s message and body', async () => {
    const api = createApi(file.ks.admin, file.srv.url);
    const err = await api.send('PUT', '/v1/policy', 'decrypt: 5\n', 'application/yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toBe('the policy has errors and was not loaded');
    expect(((err as ApiError).body as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);
  });

  it('calls back on 401 (a token revoked while signed in)', async () => {
    const api = createApi('kss_00000000_revoked', file.srv.url);
    let called = 0;
    api.onUnauthorized(() => called++);
    await expect(api.get('/v1/quota')).rejects.toThrow(/a valid token is required/);
    expect(called).toBe(1);
  });
});
