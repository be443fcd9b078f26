import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { readFileSync } from 'node:fs';
import { startServer } from '../../runtime/server/app.js';
import { makeKeyserver, type Keyserver } from './helpers.js';

let ks: Keyserver | null = null;
afterAll(() => ks?.cleanup());

describe('TLS', () => {
  it('serves HTTPS when given a certificate and key', async () => {
    ks = await makeKeyserver();
    const cert = join(ks.dir, 'cert.pem');
    const key = join(ks.dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const srv = await startServer({ dataDir: ks.dir, port: 0, tz: 'UTC', logger: () => {}, tlsCert: cert, tlsKey: key });
    try {
      expect(srv.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const agent = new Agent({ connect: { ca: readFileSync(cert) } });
      const r = await request(`${srv.url}/v1/requests`, { method: 'POST', dispatcher: agent, headers: { authorization: `Bearer ${ks.client}` }, body: '{"request_type":"rename"}' });
      expect(r.statusCode).toBe(200);
      expect(((await r.body.json()) as { approved: boolean }).approved).toBe(true);
      await agent.close();
    } finally {
      await srv.close();
    }
  });

  it('refuses a certificate without its key', async () => {
    ks ??= await makeKeyserver();
    await expect(startServer({ dataDir: ks.dir, port: 0, tz: 'UTC', logger: () => {}, tlsCert: 'x.pem' })).rejects.toThrow(/both --tls-cert and --tls-key/);
  });
});
