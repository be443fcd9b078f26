/** initialize: joining a cluster needs the keyserver's own backup key and passphrase. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyserver } from '../../runtime/admin/keyserver.js';
import { BackupError } from '../../runtime/identity/backup.js';
import { joinCluster } from '../../runtime/cluster/join.js';
import { openStore } from '../../runtime/store/open.js';
import { StoreError } from '../../runtime/store/types.js';
import { dropDatabase, freshDatabase } from './support/mysql.js';

const PASS = 'correct horse battery';

describe('keyserver initialize (join a cluster)', () => {
  const root = mkdtempSync(join(tmpdir(), 'kss-join-'));
  let uri: string;
  let emptyUri: string;
  let keyserverId: string;
  const backup = join(root, 'backup.key');

  beforeAll(async () => {
    uri = await freshDatabase();
    emptyUri = await freshDatabase();
    keyserverId = (await createKeyserver({ dbUri: uri }, 'cli:t', { path: backup, passphrase: PASS })).id;
  });
  afterAll(async () => {
    await dropDatabase(uri);
    await dropDatabase(emptyUri);
    rmSync(root, { recursive: true, force: true });
  });

  it('joins with the right backup key: the data directory then opens the shared database', async () => {
    const dir = join(root, 'node2');
    const r = await joinCluster({ dataDir: dir, dbUri: uri, backupKeyPaths: [backup], passphrase: PASS, actor: 'cli:t' });
    expect(r.keyserverId).toBe(keyserverId);
    expect(statSync(join(dir, 'cluster.json')).mode & 0o777).toBe(0o600);
    const s = await openStore({ dataDir: dir });
    try {
      expect(s.location).toMatch(/^mysql:\/\//);
      expect((await s.getIdentity())?.id).toBe(keyserverId);
      expect((await s.lastAudit())?.kind).toBe('instance.initialize');
    } finally {
      await s.close();
    }
    // Joining again is harmless.
    await joinCluster({ dataDir: dir, dbUri: uri, backupKeyPaths: [backup], passphrase: PASS, actor: 'cli:t' });
  });

  it('refuses a wrong passphrase before touching anything', async () => {
    const dir = join(root, 'wrongpass');
    await expect(joinCluster({ dataDir: dir, dbUri: uri, backupKeyPaths: [backup], passphrase: 'nope nope', actor: 'cli:t' })).rejects.toBeInstanceOf(BackupError);
    expect(existsSync(join(dir, 'cluster.json'))).toBe(false);
  });

  it("refuses another keyserver's backup key", async () => {
    const other = join(root, 'other.key');
    await createKeyserver({ dataDir: join(root, 'other-ks') }, 'cli:t', { path: other, passphrase: PASS });
    const dir = join(root, 'foreign');
    const err = await joinCluster({ dataDir: dir, dbUri: uri, backupKeyPaths: [other], passphrase: PASS, actor: 'cli:t' }).catch((e) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toMatch(/backup key belongs to keyserver `ks_[0-9a-f]+`, but the database holds/);
    expect(existsSync(join(dir, 'cluster.json'))).toBe(false);
  });

  it('refuses a database without a keyserver, and a data directory with its own keyserver', async () => {
    await expect(joinCluster({ dataDir: join(root, 'x'), dbUri: emptyUri, backupKeyPaths: [backup], passphrase: PASS, actor: 'cli:t' }))
      .rejects.toMatchObject({ code: 'not-found' });
    const single = join(root, 'single');
    await createKeyserver({ dataDir: single }, 'cli:t');
    await expect(joinCluster({ dataDir: single, dbUri: uri, backupKeyPaths: [backup], passphrase: PASS, actor: 'cli:t' }))
      .rejects.toMatchObject({ message: expect.stringMatching(/single-machine keyserver; move it with `kss keyserver clone-db URI`/) });
  });

  it('an instance whose database now holds another keyserver refuses to open it', async () => {
    const dir = join(root, 'stale');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cluster.json'), JSON.stringify({ dbUri: uri, keyserverId: 'ks_somebody_else' }));
    await expect(openStore({ dataDir: dir })).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/joined keyserver `ks_somebody_else`/) });
    writeFileSync(join(dir, 'cluster.json'), '{not json');
    await expect(openStore({ dataDir: dir })).rejects.toMatchObject({ code: 'corrupt' });
    expect(readFileSync(join(dir, 'cluster.json'), 'utf8')).toBe('{not json');
  });
});
