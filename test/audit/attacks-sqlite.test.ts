import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import type { KssStore } from '../../runtime/store/types.js';
import { tempDir } from '../store/helpers.js';
import { describeAuditAttacks } from './attacks.js';

const made: Array<() => void> = [];
const raw = new Map<KssStore, Database.Database>();

describeAuditAttacks('SQLite', () => ({
  tables: { audit: 'audit', checkpoint: 'audit_checkpoint' },
  async fresh(identity) {
    const t = tempDir('kss-audit-');
    made.push(t.cleanup);
    const store = SqliteStore.open(t.dir, { create: true });
    await store.createIdentity(identity);
    raw.set(store, new Database(join(t.dir, 'kss.db')));
    return { store, dataDir: t.dir };
  },
  async sql(store, statement, params = []) {
    raw.get(store)!.prepare(statement).run(...params);
  },
  async cleanup() {
    for (const db of raw.values()) db.close();
    made.forEach((f) => f());
  },
}));

describe('a damaged SQLite file', () => {
  it.each([
    ['zero-length', ''],
    ['not a database', 'this is not SQLite '.repeat(300)],
  ])('%s: opening says the file is damaged, and never makes a new keyserver of it', (_name, content) => {
    const t = tempDir('kss-audit-');
    try {
      SqliteStore.open(t.dir, { create: true }).close();
      writeFileSync(join(t.dir, 'kss.db'), content);
      expect(() => SqliteStore.open(t.dir, { create: false })).toThrow(/kss\.db` is damaged/);
    } finally {
      t.cleanup();
    }
  });
});
