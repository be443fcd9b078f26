/**
 * clone-db through the real CLI: a single-machine keyserver that has served requests moves into
 * MariaDB; the same data directory then serves from the shared database with its quota count,
 * its tokens and its audit chain intact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin, dropDatabase, freshDatabase } from './support/mysql.js';
import { ask, decryptRequest, kss, kssOk, serve, signedDecision } from './support/kss.js';

const POLICY = `decrypt:
  - - rule: per-profile-throttle-rule
      rule_id: weekly-ish
      per_day: 7
      persistent: true
`;

describe('clone-db end to end', () => {
  const root = mkdtempSync(join(tmpdir(), 'kss-clone-e2e-'));
  const dir = join(root, 'ks');
  let uri: string;
  let occupied: string;

  beforeAll(async () => {
    uri = await freshDatabase();
    occupied = await freshDatabase();
  });
  afterAll(async () => {
    await dropDatabase(uri);
    await dropDatabase(occupied);
    rmSync(root, { recursive: true, force: true });
  });

  it('moves a keyserver that has served requests, and it goes on counting from the shared database', async () => {
    await kssOk(['keyserver', 'create', '--data-dir', dir]);
    writeFileSync(join(root, 'p.yml'), POLICY);
    await kssOk(['keyserver', 'policy', '--load', join(root, 'p.yml'), '--data-dir', dir]);
    await kssOk(['keyserver', 'enable', '--data-dir', dir]);
    const token = (await kssOk(['keyserver', 'token', 'create', '--role', 'client', '--data-dir', dir])).trim();

    const single = await serve(['--data-dir', dir]);
    const signedBefore = await signedDecision(single.url, token);
    expect(signedBefore.valid).toBe(true);
    const before = [];
    for (let i = 0; i < 4; i++) before.push((await ask(single.url, token, decryptRequest())).body.approved);
    expect(before).toEqual([true, true, true, true]);
    // A running server holds the data directory: the move waits for it to stop.
    const refused = await kss(['keyserver', 'clone-db', uri, '--data-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/stop it before moving/);
    await single.kill('SIGTERM');

    const moved = await kssOk(['keyserver', 'clone-db', uri, '--data-dir', dir]);
    expect(moved).toMatch(/moved to mysql:\/\/.*1 policy versions, 1 quota counters, 1 tokens/);
    expect(existsSync(join(dir, 'cluster.json'))).toBe(true);
    // The key moved to the data directory's key file; the database got the public key only.
    expect(statSync(join(dir, 'signing-key.json')).mode & 0o777).toBe(0o600);
    const [row] = await admin<Record<string, unknown>>(uri, 'SELECT * FROM kss_identity');
    expect(row).toEqual({ singleton: 1, id: signedBefore.keyserverId, public_key: signedBefore.publicKey, created_at: expect.any(String) });

    const status = JSON.parse(await kssOk(['keyserver', 'status', '--format', 'json', '--data-dir', dir])) as { enabled: boolean; policy: { version: number } };
    expect(status).toMatchObject({ enabled: true, policy: { version: 1 } });
    const clustered = await serve(['--data-dir', dir]);
    try {
      // Same key: its signatures verify with the public key published before the move.
      const signedAfter = await signedDecision(clustered.url, token);
      expect(signedAfter).toEqual(signedBefore);
      // Same token, same count: 2 of the 7 are left (one went to signedDecision).
      const after = [];
      for (let i = 0; i < 3; i++) after.push((await ask(clustered.url, token, decryptRequest())).body.approved);
      expect(after).toEqual([true, false, false]);
    } finally {
      await clustered.kill('SIGTERM');
    }
    const verify = await kss(['keyserver', 'audit', '--verify', '--db-uri', uri]);
    expect(verify.code, verify.stderr + verify.stdout).toBe(0);

    // A database that already holds a keyserver is refused.
    const other = join(root, 'other');
    await kssOk(['keyserver', 'create', '--db-uri', occupied, '--data-dir', join(root, 'occupant')]);
    await kssOk(['keyserver', 'create', '--data-dir', other]);
    const r = await kss(['keyserver', 'clone-db', occupied, '--data-dir', other]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already holds keyserver `ks_[0-9a-f]+`/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
  }, 60_000);
});
