import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { expect } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ThrottleUse } from '../../runtime/quota/types.js';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import type { AuditInput, SigningIdentity } from '../../runtime/store/types.js';
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

/**
 * Neither kss.db nor its WAL (all an attacker with database access has) holds `identity`'s
 * private key: not as the base64 text a store would keep, nor its raw 32-byte Ed25519 seed.
 */
export function expectNoPrivateKey(dir: string, identity: SigningIdentity): void {
  const files = ['kss.db', 'kss.db-wal'].map((f) => join(dir, f)).filter((f) => existsSync(f));
  const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
  const der = Buffer.from(identity.privateKey, 'base64');
  expect(bytes.includes(Buffer.from(identity.privateKey))).toBe(false);
  expect(bytes.includes(der.subarray(der.length - 32))).toBe(false);
}
