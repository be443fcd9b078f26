import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import type { KssStore } from '../../runtime/store/types.js';
import { describeStoreContract } from './contract.js';

describeStoreContract('SQLite', () => {
  const root = mkdtempSync(join(tmpdir(), 'kss-contract-'));
  const dirs = new Map<KssStore, string>();
  let n = 0;
  return {
    async fresh() {
      const dir = join(root, `s${n++}`);
      const s = SqliteStore.open(dir, { create: true });
      dirs.set(s, dir);
      return s;
    },
    async reopen(store) {
      const dir = dirs.get(store)!;
      await store.close();
      const s = SqliteStore.open(dir, { create: false });
      dirs.set(s, dir);
      return s;
    },
    async cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
});
