import { MysqlStore } from '../../runtime/store/mysql/store.js';
import type { KssStore } from '../../runtime/store/types.js';
import { dropDatabase, freshDatabase } from '../cluster/support/mysql.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('MySQL (MariaDB)', () => {
  const uris = new Map<KssStore, string>();
  const made: string[] = [];
  return {
    publicKeyOnly: true,
    async fresh() {
      const uri = await freshDatabase();
      made.push(uri);
      const s = await MysqlStore.open(uri, { create: true, connections: 2 });
      uris.set(s, uri);
      return s;
    },
    async reopen(store) {
      const uri = uris.get(store)!;
      await store.close();
      const s = await MysqlStore.open(uri, { connections: 2 });
      uris.set(s, uri);
      return s;
    },
    async cleanup() {
      for (const uri of made) await dropDatabase(uri);
    },
  };
});
