import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../../runtime/server/app.js';
import { makeKeyserver, post, requestWithoutBody, type Keyserver } from './helpers.js';

let ks: Keyserver | null = null;
afterEach(() => ks?.cleanup());

describe('kss serve start-up', () => {
  it('--policy loads a changed file once; restarting with the same file makes no new version', async () => {
    ks = await makeKeyserver();
    const file = join(ks.dir, 'p.yml');
    writeFileSync(file, 'rename:\n  - - rule: reject-rule\n');
    const start = () => startServer({ dataDir: ks!.dir, port: 0, tz: 'UTC', logger: () => {}, policyPath: file });
    let srv = await start();
    expect((await requestWithoutBody(srv.url, null, '/v1/status')).json.policy.version).toBe(2);
    expect((await post(srv.url, ks.client, { request_type: 'rename' })).json.approved).toBe(false);
    await srv.close();
    srv = await start();
    expect((await requestWithoutBody(srv.url, null, '/v1/status')).json.policy.version).toBe(2);
    await srv.close();
  });

  it('refuses a --policy with errors, an unknown zone, and a data directory without a keyserver', async () => {
    ks = await makeKeyserver();
    const file = join(ks.dir, 'bad.yml');
    writeFileSync(file, 'rename:\n  - - rule: no-such-rule\n');
    // The diagnostics travel with the error; `kss serve` prints them as `kss check` does.
    await expect(startServer({ dataDir: ks.dir, port: 0, logger: () => {}, policyPath: file })).rejects.toMatchObject({
      message: expect.stringMatching(/bad\.yml` has errors and was not loaded/),
      diagnostics: [expect.objectContaining({ severity: 'error', range: expect.objectContaining({ start: expect.objectContaining({ line: 2 }) }) })],
    });
    await expect(startServer({ dataDir: ks.dir, port: 0, logger: () => {}, tz: 'Mars/Base' })).rejects.toThrow(/unknown time zone/);
    await expect(startServer({ dataDir: join(ks.dir, 'nothing'), port: 0, logger: () => {} })).rejects.toThrow(/kss keyserver create/);
    // A failed start leaves no lock behind.
    const srv = await startServer({ dataDir: ks.dir, port: 0, tz: 'UTC', logger: () => {} });
    await srv.close();
  });
});
