import { MysqlStore } from '../../runtime/store/mysql/store.js';
import { writeLocalKey } from '../../runtime/identity/local-key.js';
import type { KssStore } from '../../runtime/store/types.js';
import { admin, dropDatabase, freshDatabase } from '../cluster/support/mysql.js';
import { tempDir } from '../store/helpers.js';
import { describeAuditAttacks } from './attacks.js';

const uris = new Map<KssStore, string>();
const made: Array<() => void> = [];

describeAuditAttacks('MySQL (MariaDB)', () => ({
  tables: { audit: 'kss_audit', checkpoint: 'kss_audit_checkpoint' },
  async fresh(identity) {
    const uri = await freshDatabase();
    const t = tempDir('kss-audit-');
    made.push(t.cleanup);
    // As a cluster instance: the database holds the public key, the data directory the private one.
    writeLocalKey(t.dir, identity);
    const store = await MysqlStore.open(uri, { create: true, connections: 2, keyDir: t.dir });
    await store.createIdentity({ id: identity.id, publicKey: identity.publicKey, createdAt: identity.createdAt });
    uris.set(store, uri);
    return { store, dataDir: t.dir };
  },
  async sql(store, statement, params = []) {
    await admin(uris.get(store)!, statement, params);
  },
  async cleanup() {
    for (const uri of uris.values()) await dropDatabase(uri);
    made.forEach((f) => f());
  },
}));
