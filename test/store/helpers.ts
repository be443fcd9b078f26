import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ThrottleUse } from '../../runtime/quota/types.js';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import type { AuditInput } from '../../runtime/store/types.js';
import { windowAt } from '../support/time.js';

export function tempDir(prefix = 'kss-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Fresh SQLite stores in temp directories; `cleanup` (for afterEach) removes them all. */
export function sqliteStores(): { fresh(): { store: SqliteStore; dir: string }; cleanup(): void } {
  const dirs: Array<() => void> = [];
  return {
    fresh() {
      const t = tempDir();
      dirs.push(t.cleanup);
      return { store: SqliteStore.open(t.dir, { create: true }), dir: t.dir };
    },
    cleanup: () => dirs.splice(0).forEach((f) => f()),
  };
}

export function use(ruleId: string, profileId: string, perHour: number | null, perDay: number | null, persistent = true): ThrottleUse {
  return { ruleId, profileId, perHour, perDay, persistent };
}

export const W1 = windowAt('2026-01-05T10:30:00Z');
export const W2 = windowAt('2026-01-05T11:30:00Z');
export const W3 = windowAt('2026-01-06T00:30:00Z');

/** The audit entry a store's clearQuota writes in tests. */
export const clearEntry = (deleted: number): AuditInput => ({ at: '2026-01-05T12:00:00.000Z', kind: 'quota.clear', actor: 'test', data: { cleared: deleted } });
