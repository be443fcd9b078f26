/**
 * The keyserver's custody checks, attacked over real HTTP with the client SDK in process: the
 * sealed shard opens only for its own profile, file and path; signatures and certificates are
 * checked; a replayed answer is refused by the client; --require-signed-requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onboard } from '../../client/onboard.js';
import { encryptFile } from '../../client/encrypt.js';
import { decryptFile } from '../../client/decrypt.js';
import { readHeader } from '../../client/file-format.js';
import { postSigned } from '../../client/http.js';
import { readProfile, type Profile } from '../../client/profile-dir.js';
import { startServer, type RunningServer } from '../../runtime/server/app.js';
import { makeKeyserver, post, requestWithoutBody, type Keyserver } from '../server/helpers.js';

const POLICY = 'decrypt:\n  - - rule: meta-rule\n      paths: ["/finance"]\n';

describe('custody protocol checks', { timeout: 60_000 }, () => {
  let ks: Keyserver;
  let server: RunningServer;
  let tmp: string;
  let alice: Profile;
  let bob: Profile;
  const at = (n: string) => join(tmp, n);

  /** The body `decrypt` would send for `file` as `who`, with fields replaced. */
  function shardBody(who: Profile, file: string, change: { meta?: string; fileId?: string } = {}) {
    const { header } = readHeader(file);
    const request = {
      request_type: 'decrypt', device_id: who.device.device_id, cryptographic_id: change.fileId ?? header.file_id,
      profile: { profile_id: who.profile_id, profile_words: who.profile_words }, auth_meta: [{ meta: change.meta ?? header.meta, complete: true }], nonce: 'n1',
    };
    return JSON.stringify({ request, certificate: who.certificate, sealed_shard: header.shares.find((s) => s.holder === 'keyserver')!.sealed });
  }

  beforeAll(async () => {
    ks = await makeKeyserver(POLICY);
    server = await startServer({ dataDir: ks.dir, port: 0, tz: 'UTC', logger: () => {}, pollMs: 50 });
    tmp = mkdtempSync(join(tmpdir(), 'kss-custody-proto-'));
    const id = server.keyserverId;
    alice = await onboard({ keyserver: server.url, keyserverId: id, token: ks.client, profileDir: at('alice'), name: 'alice@ws' });
    bob = await onboard({ keyserver: server.url, keyserverId: id, token: ks.client, profileDir: at('bob'), name: 'bob@ws' });
    writeFileSync(at('plain'), randomBytes(5000));
    await encryptFile(alice, { input: at('plain'), output: at('a.kss'), meta: 'finance/a.txt' });
  });

  afterAll(async () => {
    await server.close();
    ks.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('publishes the encryption key, which the profile pinned', async () => {
    const status = (await requestWithoutBody(server.url, null, '/v1/status')).json as Record<string, string>;
    expect(status.encryption_algorithm).toBe('hpke-base-x25519-hkdf-sha256-aes-256-gcm');
    expect(readProfile(at('alice')).keyserver.encryption_public_key).toBe(status.encryption_public_key);
    expect(Buffer.from(status.encryption_public_key!, 'base64')).toHaveLength(32);
  });

  it("the shard does not open for another profile, another file id or another (approved) path", async () => {
    const cases = [
      ['another profile', shardBody(bob, at('a.kss')), bob],
      ['a swapped meta', shardBody(alice, at('a.kss'), { meta: 'finance/b.txt' }), alice],
      ['another file id', shardBody(alice, at('a.kss'), { fileId: randomBytes(16).toString('hex') }), alice],
    ] as const;
    for (const [name, body, who] of cases) {
      const r = await postSigned(server.url, '/v1/shards', ks.client, body, who.device.signing_private_key);
      expect(r.status, name).toBe(422);
      expect(String(r.json.error), name).toMatch(/^the sealed shard does not open for this request/);
      expect(r.json.shard, name).toBeUndefined();
    }
  });

  it('refuses a bad device signature, an unsigned request and a certificate this keyserver did not sign', async () => {
    const body = shardBody(alice, at('a.kss'));
    const wrongKey = await postSigned(server.url, '/v1/shards', ks.client, body, bob.device.signing_private_key);
    expect([wrongKey.status, wrongKey.json.error]).toEqual([401, 'the device signature does not match the request (signed with another key, or the body changed)']);
    const unsigned = await post(server.url, ks.client, body, '/v1/shards');
    expect(unsigned.status).toBe(401);
    const forged = JSON.parse(body) as { certificate: { body: { name: string } } };
    forged.certificate.body.name = 'mallory@ws';
    const forgedText = JSON.stringify(forged);
    const r = await postSigned(server.url, '/v1/shards', ks.client, forgedText, alice.device.signing_private_key);
    expect(r.status).toBe(403);
    expect(String(r.json.error)).toContain('was not issued by keyserver');
    const malformed = await postSigned(server.url, '/v1/shards', ks.client, '{"request": 1}', alice.device.signing_private_key);
    expect(malformed.status).toBe(400);
  });

  it('the client refuses a replayed answer (it names another request body)', async () => {
    let first: { status: number; body: string } | null = null;
    // A man in the middle that forwards the first request and answers every later one with it.
    const replay: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (!first) {
          const up = await fetch(server.url + req.url!, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
          first = { status: up.status, body: await up.text() };
        }
        res.writeHead(first.status, { 'content-type': 'application/json' }).end(first.body);
      });
    });
    await new Promise<void>((r) => replay.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(replay.address() as AddressInfo).port}`;
    try {
      await decryptFile(alice, { input: at('a.kss'), output: at('a.1'), keyserver: url });
      expect(readFileSync(at('a.1')).equals(readFileSync(at('plain')))).toBe(true);
      await expect(decryptFile(alice, { input: at('a.kss'), output: at('a.2'), keyserver: url })).rejects.toThrow(/not signed by keyserver `ks_[0-9a-f]{32}` for this request \(replayed/);
      expect(existsSync(at('a.2'))).toBe(false);
    } finally {
      replay.close();
    }
  });

  it('--require-signed-requests refuses token-only decisions and still releases shards', async () => {
    await server.close();
    server = await startServer({ dataDir: ks.dir, port: 0, tz: 'UTC', logger: () => {}, pollMs: 50, requireSignedRequests: true });
    const plainRequest = await post(server.url, ks.client, { request_type: 'decrypt', profile: { profile_id: alice.profile_id } });
    expect(plainRequest.status).toBe(403);
    expect(String((plainRequest.json as { error: string }).error)).toContain('--require-signed-requests');
    await decryptFile(alice, { input: at('a.kss'), output: at('a.3'), keyserver: server.url });
    expect(readFileSync(at('a.3')).equals(readFileSync(at('plain')))).toBe(true);
  });
});
