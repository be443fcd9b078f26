/**
 * A decision's writes wait for another process's write lock by yielding to the event loop, not by
 * sleeping inside SQLite (runtime/store/sqlite/write-lock.ts): the process keeps serving meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { NonBlockingWrites } from '../../runtime/store/sqlite/write-lock.js';
import { sqliteStores, use, W1 } from './helpers.js';

const stores = sqliteStores();
const holders: ChildProcess[] = [];
afterEach(() => {
  holders.splice(0).forEach((h) => h.kill('SIGKILL'));
  stores.cleanup();
});

/** Another process that takes the database's write lock and keeps it until told (a line on stdin). */
async function lockHolder(file: string): Promise<{ release(): Promise<void> }> {
  const script = `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('BEGIN IMMEDIATE');
    console.log('locked'); process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  holders.push(child);
  await new Promise<void>((resolve) => createInterface({ input: child.stdout! }).once('line', () => resolve()));
  return {
    release: () => new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.stdin!.write('go\n');
    }),
  };
}

const entry = { at: '2026-01-05T10:30:00.000Z', kind: 'decision', actor: 'test', data: { approved: true } };

describe('decision writes under another process\'s write lock', () => {
  it('an audit append and a quota use wait without blocking the event loop, then commit in order', async () => {
    const { store, dir } = stores.fresh();
    const holder = await lockHolder(join(dir, 'kss.db'));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const appended = store.appendAudit([entry]);
    const consumed = store.tryConsume([use('r', 'p', null, 5)], W1);
    await new Promise((r) => setTimeout(r, 100));
    // Had SQLite slept in busy_timeout, the timer could not have run while the writes waited.
    expect(ticks).toBeGreaterThanOrEqual(5);
    await holder.release();
    const [got] = await appended;
    expect(got!.seq).toBe(1);
    expect(await consumed).toBe(true);
    clearInterval(timer);
    expect(await store.listQuota()).toHaveLength(1);
    expect((await store.readAudit(0, 10)).map((e) => e.seq)).toEqual([1]);
    await store.close();
  });

  it('fails with SQLITE_BUSY once its wait is over, having written nothing', async () => {
    const { store, dir } = stores.fresh();
    await store.close();
    const file = join(dir, 'kss.db');
    const holder = await lockHolder(file);
    const db = new Database(file);
    db.pragma('busy_timeout = 50');
    const writes = new NonBlockingWrites(db, 50);
    const insert = db.prepare("INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES (1, 'h', 'a', 's')");
    const started = Date.now();
    await expect(writes.run(() => insert.run())).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    await holder.release();
    expect(db.prepare('SELECT count(*) AS n FROM audit_checkpoint').get()).toEqual({ n: 0 });
    // The connection waits as before for every other write once the lock is free.
    expect(db.pragma('busy_timeout', { simple: true })).toBe(50);
    db.close();
  });
});
