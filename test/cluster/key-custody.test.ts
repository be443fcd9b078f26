/**
 * Joining a cluster really requires the backup key: the shared database holds the keyserver's id
 * and PUBLIC key only, and an instance signs only with a key file of its own, which `create`,
 * `initialize` (backup key + passphrase) or `clone-db` give it. Real CLI processes, real MariaDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityFromPrivateKey } from '../../runtime/identity/keys.js';
import { admin, dropDatabase, freshDatabase } from './support/mysql.js';
import { kss, kssOk, serve, signedDecision, type Served } from './support/kss.js';

const ENV = { KSS_BACKUP_PASSPHRASE: 'key custody passphrase' };
const POLICY = 'decrypt:\n  - - rule: approve-rule\n';

const mode = (file: string) => statSync(file).mode & 0o777;

describe('cluster key custody', { timeout: 60_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'kss-custody-'));
  const dirA = join(root, 'a');
  const backup = join(root, 'backup.key');
  const otherBackup = join(root, 'other-backup.key');
  let uri: string;
  let otherUri: string;
  let token: string;
  const servers: Served[] = [];

  beforeAll(async () => {
    [uri, otherUri] = await Promise.all([freshDatabase(), freshDatabase()]);
    await kssOk(['keyserver', 'create', '--db-uri', uri, '--data-dir', dirA, '--backup-path', backup, '--ignore-security-checks'], ENV);
    await kssOk(['keyserver', 'create', '--db-uri', otherUri, '--data-dir', join(root, 'other'), '--backup-path', otherBackup, '--ignore-security-checks'], ENV);
    writeFileSync(join(root, 'p.yml'), POLICY);
    await kssOk(['keyserver', 'policy', '--load', join(root, 'p.yml'), '--db-uri', uri]);
    await kssOk(['keyserver', 'enable', '--db-uri', uri]);
    token = (await kssOk(['keyserver', 'token', 'create', '--role', 'client', '--db-uri', uri])).trim();
  }, 60_000);

  afterAll(async () => {
    for (const s of servers) await s.kill('SIGKILL');
    await dropDatabase(uri);
    await dropDatabase(otherUri);
    rmSync(root, { recursive: true, force: true });
  });

  it('the database holds the id and public key only; the creating instance keeps the key in a 0600 file', async () => {
    const rows = await admin<Record<string, unknown>>(uri, 'SELECT * FROM kss_identity');
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(['created_at', 'id', 'public_key', 'singleton']);
    const keyFile = join(dirA, 'signing-key.json');
    expect(mode(keyFile)).toBe(0o600);
    const local = JSON.parse(readFileSync(keyFile, 'utf8')) as { private_key: string; created_at: string };
    const identity = identityFromPrivateKey(local.private_key, local.created_at);
    expect({ id: identity.id, publicKey: identity.publicKey }).toEqual({ id: rows[0]!.id, publicKey: rows[0]!.public_key });
    // Nowhere in the database: not in the identity row, not in the audit log.
    const dump = JSON.stringify(await admin(uri, 'SELECT * FROM kss_identity')) + JSON.stringify(await admin(uri, 'SELECT * FROM kss_audit'));
    expect(dump).not.toContain(local.private_key);
  });

  it('kss serve refuses an instance that has not joined (no key, or another keyserver\'s key)', async () => {
    const refusals: Array<[string[], RegExp]> = [
      [['--db-uri', uri, '--data-dir', join(root, 'fresh')], /holds no signing key for keyserver `ks_[0-9a-f]{32}`/],
      [['--db-uri', uri, '--data-dir', join(root, 'other')], /is keyserver `ks_[0-9a-f]{32}`'s, which does not match the database's public key/],
    ];
    // A data directory with a copied cluster.json but no key file: the same refusal.
    mkdirSync(join(root, 'copied'));
    copyFileSync(join(dirA, 'cluster.json'), join(root, 'copied', 'cluster.json'));
    refusals.push([['--data-dir', join(root, 'copied')], /holds no signing key/]);
    for (const [args, detail] of refusals) {
      const started = serve(args).then((s) => {
        servers.push(s);
        return s;
      });
      const error = (await started.then(() => null, (e: Error) => e))!;
      expect(error, `kss serve ${args.join(' ')} started`).toBeInstanceOf(Error);
      expect(error.message).toMatch(/exited \(1\) before listening/);
      expect(error.message).toMatch(/this instance has not joined the cluster: /);
      expect(error.message).toMatch(/run `kss keyserver initialize --db-uri mysql:\/\/\S+ --backup-key PATH --data-dir /);
      expect(error.message).toMatch(detail);
      expect(error.message).not.toMatch(/\n\s+at /);
    }
  });

  it('initialize refuses a wrong passphrase and another keyserver\'s backup, and writes nothing', async () => {
    const dir = join(root, 'intruder');
    const wrong = await kss(['keyserver', 'initialize', '--db-uri', uri, '--backup-key', backup, '--data-dir', dir], { KSS_BACKUP_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/wrong passphrase/);
    const foreign = await kss(['keyserver', 'initialize', '--db-uri', uri, '--backup-key', otherBackup, '--data-dir', dir], ENV);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toMatch(/the backup key belongs to keyserver `ks_[0-9a-f]{32}`, but the database holds `ks_[0-9a-f]{32}`/);
    for (const r of [wrong, foreign]) {
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(dir, 'signing-key.json'))).toBe(false);
    expect(existsSync(join(dir, 'cluster.json'))).toBe(false);
  });

  it('after initialize the instance serves and signs; both instances\' signatures verify with /v1/status', async () => {
    const dirB = join(root, 'b');
    expect(await kssOk(['keyserver', 'initialize', '--db-uri', uri, '--backup-key', backup, '--data-dir', dirB], ENV)).toBe('Keyshard server initialized\n');
    expect(mode(join(dirB, 'signing-key.json'))).toBe(0o600);
    const a = await serve(['--db-uri', uri, '--data-dir', dirA]);
    servers.push(a);
    const b = await serve(['--data-dir', dirB]);
    servers.push(b);
    const [fromA, fromB] = [await signedDecision(a.url, token), await signedDecision(b.url, token)];
    const [row] = await admin<{ id: string; public_key: string }>(uri, 'SELECT id, public_key FROM kss_identity');
    for (const d of [fromA, fromB]) expect(d).toEqual({ publicKey: row!.public_key, keyserverId: row!.id, valid: true });
  });

  it('a backup can be written only where the key is; recovery into a new database keeps the id', async () => {
    const refused = await kss(['keyserver', 'save-backup-key', join(root, 'nokey.key'), '--db-uri', uri, '--data-dir', join(root, 'fresh'), '--ignore-security-checks'], ENV);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/this instance holds no signing key for keyserver `ks_[0-9a-f]{32}`/);
    expect(existsSync(join(root, 'nokey.key'))).toBe(false);
    const second = join(root, 'second.key');
    await kssOk(['keyserver', 'save-backup-key', second, '--data-dir', join(root, 'b'), '--ignore-security-checks'], ENV);

    // The second backup restores the same keyserver into an empty database, signing key local again.
    const target = await freshDatabase();
    try {
      const restored = join(root, 'restored');
      const out = await kssOk(['keyserver', 'recovery-ingest-key', second, '--db-uri', target, '--data-dir', restored], ENV);
      const [row] = await admin<Record<string, unknown>>(uri, 'SELECT id, public_key FROM kss_identity');
      const [copy] = await admin<Record<string, unknown>>(target, 'SELECT * FROM kss_identity');
      expect(out).toBe(`Keyserver restored: ${String(row!.id)}\n`);
      expect(copy).toMatchObject(row!);
      expect(Object.keys(copy!)).not.toContain('private_key');
      expect(mode(join(restored, 'signing-key.json'))).toBe(0o600);
      // Creating again in a data directory that already belongs to a keyserver is refused.
      const again = await kss(['keyserver', 'create', '--db-uri', target, '--data-dir', restored]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already holds the signing key of keyserver/);
    } finally {
      await dropDatabase(target);
    }
  });
});
