/**
 * The serve lock of a SQLite data directory: an EXCLUSIVE transaction held open on a separate
 * file. The OS releases its lock when the process dies (even kill -9), so there is never a stale
 * lock to clean up by hand.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { StoreError } from '../types.js';

/** Takes the lock of `dataDir`, or throws StoreError 'locked' when another server holds it. */
export function takeServeLock(dataDir: string): Database.Database {
  const lock = new Database(join(dataDir, 'serve.lock'));
  try {
    lock.pragma('busy_timeout = 0');
    lock.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;');
  } catch {
    lock.close();
    throw new StoreError('locked', `another kss server is already running on \`${dataDir}\` (one active instance per keyserver)`);
  }
  return lock;
}

export function releaseServeLock(lock: Database.Database): void {
  try { lock.exec('ROLLBACK'); } catch { /* closing releases it anyway */ }
  lock.close();
}
