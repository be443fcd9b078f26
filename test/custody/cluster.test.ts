/**
 * Every cluster instance releases shards (they derive the same encryption key from the shared
 * identity), and a revocation holds on every instance. Real MariaDB, real processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropDatabase, freshDatabase } from '../cluster/support/mysql.js';
import { kss, kssOk, serve, type Served } from '../cluster/support/kss.js';
import { client, PASSPHRASE } from './support.js';

describe('key custody in a cluster', { timeout: 120_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'kss-custody-cluster-'));
  const at = (n: string) => join(root, n);
  let uri: string;
  let token: string;
  let a: Served;
  let b: Served;

  beforeAll(async () => {
    uri = await freshDatabase();
    await kssOk(['keyserver', 'create', '--db-uri', uri, '--data-dir', at('a'), '--backup-path', at('backup.key'), '--backup-shares', '5', '--backup-threshold', '3'], PASSPHRASE);
    // Instance b joins with 3 of the 5 shares (the custodians of shares 2, 4 and 5).
    await kssOk(['keyserver', 'initialize', '--db-uri', uri, '--backup-key', at('backup.key.2'), at('backup.key.4'), at('backup.key.5'), '--data-dir', at('b')], PASSPHRASE);
    writeFileSync(at('p.yml'), 'decrypt:\n  - - rule: meta-rule\n      paths: ["/finance"]\n');
    await kssOk(['keyserver', 'policy', '--load', at('p.yml'), '--db-uri', uri]);
    await kssOk(['keyserver', 'enable', '--db-uri', uri]);
    token = (await kssOk(['keyserver', 'token', 'create', '--role', 'client', '--db-uri', uri])).trim();
    [a, b] = await Promise.all([serve(['--db-uri', uri, '--data-dir', at('a')]), serve(['--db-uri', uri, '--data-dir', at('b')])]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await dropDatabase(uri);
    rmSync(root, { recursive: true, force: true });
  });

  it('a profile onboarded on one instance decrypts through another; a revocation holds on both', async () => {
    const id = ((await (await fetch(`${a.url}/v1/status`)).json()) as { keyserver_id: string }).keyserver_id;
    const statusB = (await (await fetch(`${b.url}/v1/status`)).json()) as { keyserver_id: string; encryption_public_key: string };
    expect(statusB.keyserver_id).toBe(id);
    const onboard = await client(['onboard', '--keyserver', a.url, '--keyserver-id', id, '--token', token, '--profile-dir', at('profile')]);
    expect(onboard.code, onboard.stderr).toBe(0);
    writeFileSync(at('plain'), randomBytes(70_000));
    expect((await client(['encrypt', at('plain'), '-o', at('f.kss'), '--path', 'finance/x', '--profile-dir', at('profile')])).code).toBe(0);
    const viaB = await client(['decrypt', at('f.kss'), '-o', at('f.out'), '--profile-dir', at('profile'), '--keyserver', b.url]);
    expect(viaB.code, viaB.stderr).toBe(0);
    expect(readFileSync(at('f.out')).equals(readFileSync(at('plain')))).toBe(true);

    const profileId = (JSON.parse(readFileSync(at('profile/profile.json'), 'utf8')) as { profile_id: string }).profile_id;
    const list = await kss(['keyserver', 'profile', 'list', '--db-uri', uri, '--data-dir', at('b')]);
    expect(list.stdout).toContain(`${profileId}  active`);
    await kssOk(['keyserver', 'profile', 'revoke', profileId, '--db-uri', uri, '--data-dir', at('b')]);
    for (const s of [a, b]) {
      const r = await client(['decrypt', at('f.kss'), '-o', at('f.again'), '--profile-dir', at('profile'), '--keyserver', s.url]);
      expect(r.code, s.url).toBe(1);
      expect(r.stderr).toContain('is revoked');
    }
  });
});
