/**
 * The decisions' writes (quota uses, audit entries) without blocking the event loop on another
 * process's write lock. better-sqlite3 is synchronous: with busy_timeout, a BEGIN IMMEDIATE that
 * finds the lock taken sleeps inside SQLite (1, 2, 5, 10 ms, ...) and the whole process, with every
 * request it holds, sleeps with it. Under `kss serve --workers N` the workers' group commits meet
 * all the time, so each worker spent much of its time asleep. Here a write is tried with
 * busy_timeout 0; while the lock is taken the caller yields to the event loop and tries again, so
 * the process goes on reading and deciding requests meanwhile (they join the next batch). After
 * `waitMs` the last try waits inside SQLite as every other write does, and fails as it would.
 */
import type Database from 'better-sqlite3';

/**
 * Tries that only yield a macrotask; later ones wait a millisecond, as SQLite's own first sleep
 * does, so that a long-held lock is not polled in a loop (each try prepares two pragmas).
 */
const IMMEDIATE_TRIES = 1;

export class NonBlockingWrites {
  constructor(private readonly db: Database.Database, private readonly waitMs: number) {}

  async run<T>(write: () => T): Promise<T> {
    // Inside a caller's transaction the lock is held already: `write` nests as a savepoint.
    if (this.db.inTransaction) return write();
    const deadline = Date.now() + this.waitMs;
    for (let tries = 0; ; tries++) {
      const outcome = this.tryOnce(write);
      if (outcome !== BUSY) return outcome;
      if (Date.now() >= deadline) return write();
      await (tries < IMMEDIATE_TRIES ? new Promise<void>((r) => setImmediate(r)) : new Promise<void>((r) => setTimeout(r, 1)));
    }
  }

  private tryOnce<T>(write: () => T): T | typeof BUSY {
    // A pragma takes effect when it is prepared, not when a prepared one runs: so db.pragma each time.
    this.db.pragma('busy_timeout = 0');
    try {
      return write();
    } catch (error) {
      // BEGIN IMMEDIATE failed before anything was written, so trying again repeats nothing.
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return BUSY;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${this.waitMs}`);
    }
  }
}

const BUSY: unique symbol = Symbol('busy');
