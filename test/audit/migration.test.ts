/**
 * Upgrading a log written before checkpoints: rows as an older kss wrote them (`JSON.stringify`,
 * insertion order) become canonical without a hash changing, a row someone edited to hold
 * duplicate keys stays for verify to report, and the first signer covers the old entries.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditSigner } from '../../runtime/audit/signer.js';
import { verifyAudit } from '../../runtime/admin/audit.js';
import { generateIdentity } from '../../runtime/identity/keys.js';
import { writeLocalKey } from '../../runtime/identity/local-key.js';
import { MysqlStore } from '../../runtime/store/mysql/store.js';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import type { AuditInput, KssStore, SigningIdentity } from '../../runtime/store/types.js';
import { admin, dropDatabase, freshDatabase } from '../cluster/support/mysql.js';
import { tempDir } from '../store/helpers.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const f of cleanups) await f();
});

const entries: AuditInput[] = [1, 2, 3].map((i) => ({ at: `2025-01-0${i}T00:00:00.000Z`, kind: 'decision', actor: 'api:t', data: { z: i, a: [{ y: 1, b: 2 }] } }));
const legacy = (i: number) => JSON.stringify({ z: i, a: [{ y: 1, b: 2 }] });
const DUPLICATE = '{"z":3,"a":[{"y":1,"b":2}],"z":3}';
let third = DUPLICATE;

async function upgraded(name: string, open: (id: SigningIdentity, dir: string) => Promise<{ store: KssStore; backdate: (store: KssStore) => Promise<void>; reopen: () => Promise<KssStore> }>) {
  const identity = generateIdentity();
  const t = tempDir('kss-audit-migrate-');
  cleanups.push(t.cleanup);
  const { store, backdate, reopen } = await open(identity, t.dir);
  await store.appendAudit(entries);
  await backdate(store);
  await store.close();
  const after = await reopen();
  cleanups.push(() => after.close());
  return { store: after, identity, dir: t.dir, name };
}

describe.each([
  ['SQLite', async (identity: SigningIdentity, dir: string) => {
    const store = SqliteStore.open(dir, { create: true });
    await store.createIdentity(identity);
    return {
      store,
      async backdate() {
        const db = new Database(join(dir, 'kss.db'));
        db.exec('DROP TABLE audit_checkpoint; DROP TABLE quota_shared; PRAGMA user_version = 3;');
        const set = db.prepare('UPDATE audit SET data = ? WHERE seq = ?');
        set.run(legacy(1), 1);
        set.run(legacy(2), 2);
        set.run(third, 3);
        db.close();
      },
      reopen: async () => SqliteStore.open(dir, { create: false }),
    };
  }],
  ['MySQL (MariaDB)', async (identity: SigningIdentity, dir: string) => {
    const uri = await freshDatabase();
    cleanups.push(() => dropDatabase(uri));
    writeLocalKey(dir, identity);
    const store = await MysqlStore.open(uri, { create: true, connections: 1, keyDir: dir });
    await store.createIdentity({ id: identity.id, publicKey: identity.publicKey, createdAt: identity.createdAt });
    return {
      store,
      async backdate() {
        await admin(uri, 'DROP TABLE kss_audit_checkpoint');
        await admin(uri, 'DELETE FROM kss_schema WHERE version = 5');
        for (const [seq, text] of [[1, legacy(1)], [2, legacy(2)], [3, third]] as const) await admin(uri, 'UPDATE kss_audit SET data = ? WHERE seq = ?', [text, seq]);
      },
      reopen: () => MysqlStore.open(uri, { connections: 1, keyDir: dir }),
    };
  }],
])('audit migration: %s', (name, open) => {
  it('older rows become canonical with their hashes, and the first signer covers them', async () => {
    third = legacy(3);
    const u = await upgraded(name, open);
    expect((await u.store.readAudit(0, 3)).map((e) => e.rawData)).toEqual([undefined, undefined, undefined]);
    const before = await verifyAudit(u.store, u.dir, new Date('2025-01-03T00:00:01.000Z'));
    expect(before.problems.map((p) => p.message)).toEqual([expect.stringMatching(/entries 1-3 are not signed.*none was signed.*`kss serve` signs them/)]);
    // What `kss serve` does when it starts:
    expect(await new AuditSigner(u.store, u.identity, u.dir).checkpoint()).toMatchObject({ seq: 3 });
    expect((await verifyAudit(u.store, u.dir)).problems).toEqual([]);
  });

  it('a row edited to hold duplicate keys stays, and is reported, signed or not', async () => {
    third = DUPLICATE;
    const u = await upgraded(name, open);
    const r = await verifyAudit(u.store, u.dir);
    expect(r.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/entry 3's data is not canonical JSON/));
    // The signer reads links only: signing over the row does not make it pass.
    expect(await new AuditSigner(u.store, u.identity, u.dir).checkpoint()).toMatchObject({ seq: 3 });
    expect((await verifyAudit(u.store, u.dir)).problems.map((p) => p.message)).toEqual([expect.stringMatching(/entry 3's data is not canonical JSON/)]);
  });
});
