/**
 * SQLite's failures said to an administrator: what is wrong with the data directory and what to
 * do, instead of "unable to open database file" or "file is not a database".
 */
import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../types.js';

/** The StoreError for a SQLite error on `file`, or null when `e` is not one we can explain. */
export function sqliteProblem(e: unknown, file: string): StoreError | null {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const detail = (e as Error).message;
  if (code.startsWith('SQLITE_READONLY')) return readOnly(file);
  if (code.startsWith('SQLITE_CANTOPEN')) {
    // SQLite cannot create its journal and shared-memory files beside the database in a directory
    // it may not write to, and says only "unable to open": name the real cause when it is that.
    if (readOnlyDirectory(dirname(file))) return readOnly(file);
    return new StoreError('unavailable', `cannot open the database \`${file}\`: check that it is a file this user may read and write, in a directory it may write to`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('corrupt', `the database \`${file}\` is damaged (${detail}): restore the data directory from a backup, or move it aside and create a keyserver anew (\`kss keyserver create\`)`);
  }
  if (code === 'SQLITE_FULL') return new StoreError('unavailable', `the disk holding \`${file}\` is full: free some space and try again`);
  if (code.startsWith('SQLITE_IOERR')) return new StoreError('unavailable', `cannot read or write the database \`${file}\` (${detail}): check the disk and its file system`);
  return null;
}

function readOnly(file: string): StoreError {
  return new StoreError('unavailable', `the database \`${file}\` is read-only: give this user write permission on it and on its directory (SQLite writes its journal beside it), or mount the data directory read-write`);
}

/** Whether `dir` exists but this process may not create files in it (a read-only mount, even for root). */
function readOnlyDirectory(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'EROFS' || code === 'EACCES' || code === 'EPERM';
  }
}

/** A kss.db that SQLite opens but that cannot be a keyserver's (a zero-length file). */
export function damaged(file: string, why: string): StoreError {
  return new StoreError('corrupt', `\`${file}\` is damaged: ${why}; restore the data directory from a backup, or restore its identity into an empty data directory with \`kss keyserver recovery-ingest-key\``);
}
