/** Issue 10 §5: a data directory the store cannot use gets a message saying what is wrong and what to do, exit 1. */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteProblem } from '../../runtime/store/sqlite/errors.js';
import { kss } from './cli-helpers.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'kss-damaged-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/**
 * A created keyserver's data directory made read-only for real: as root (the test machines) a
 * tmpfs remounted read-only, which root cannot write either; otherwise the permission bits.
 */
function readOnlyDataDir(): string {
  const dir = fresh();
  const root = process.getuid?.() === 0;
  if (root) execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', dir]);
  const created = kss(['keyserver', 'create', '--ignore-security-checks', '--data-dir', dir], { KSS_BACKUP_PASSPHRASE: 'read-only test' });
  expect(created.status, created.stderr).toBe(0);
  if (root) execFileSync('mount', ['-o', 'remount,ro', dir]);
  else execFileSync('chmod', ['-R', 'a-w', dir]);
  return dir;
}

function releaseReadOnly(dir: string): void {
  if (process.getuid?.() === 0) execFileSync('umount', [dir]);
  else execFileSync('chmod', ['-R', 'u+w', dir]);
}

describe('a damaged or unusable data directory', () => {
  it('a kss.db that is not a database: serve and keyserver commands say it is damaged and how to recover, exit 1', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'kss.db'), Buffer.alloc(8192, 0x5a));
    for (const args of [['serve', '--port', '0'], ['keyserver', 'status'], ['keyserver', 'enable'], ['keyserver', 'token', 'list']]) {
      const r = kss([...args, '--data-dir', dir]);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`the database \`${join(dir, 'kss.db')}\` is damaged`);
      expect(r.stderr).toContain('restore the data directory from a backup');
      expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    }
  });

  it('a kss.db SQLite cannot open: says so and what to check, exit 1', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'kss.db'));
    const r = kss(['serve', '--port', '0', '--data-dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot open the database \`${join(dir, 'kss.db')}\`: check that it is a file this user may read and write`);
    expect(r.stderr).not.toContain('internal error');
  });

  it('a data directory on a read-only file system: serve and keyserver commands say it is read-only and what to do, exit 1', () => {
    const dir = readOnlyDataDir();
    try {
      for (const args of [['serve', '--port', '0'], ['keyserver', 'status'], ['keyserver', 'enable'], ['keyserver', 'token', 'create', '--role', 'client']]) {
        const r = kss([...args, '--data-dir', dir]);
        expect(r.status, args.join(' ')).toBe(1);
        expect(r.stderr, args.join(' ')).toContain(`the database \`${join(dir, 'kss.db')}\` is read-only`);
        expect(r.stderr).toContain('mount the data directory read-write');
        expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
      }
    } finally {
      releaseReadOnly(dir);
    }
  });

  it("SQLite's read-only refusal is explained (the tests run as root, so it is provoked with a read-only connection)", () => {
    const file = join(fresh(), 'x.db');
    new Database(file).exec('CREATE TABLE t (a)');
    const ro = new Database(file, { readonly: true });
    let error: unknown;
    try {
      ro.exec('INSERT INTO t VALUES (1)');
    } catch (e) {
      error = e;
    }
    ro.close();
    expect(sqliteProblem(error, file)?.message).toBe(`the database \`${file}\` is read-only: give this user write permission on it and on its directory (SQLite writes its journal beside it), or mount the data directory read-write`);
    expect(sqliteProblem(new Error('other'), file)).toBeNull();
  });
});
