/**
 * SQLite's failures said to an administrator: what is wrong with the data directory and what to
 * do, instead of "unable to open database file" or "file is not a database".
 */
import { StoreError } from '../types.js';

/** The StoreError for a SQLite error on `file`, or null when `e` is not one we can explain. */
export function sqliteProblem(e: unknown, file: string): StoreError | null {
  const code = (e as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const detail = (e as Error).message;
  if (code.startsWith('SQLITE_READONLY')) {
    return new StoreError('unavailable', `the database \`${file}\` is read-only: give this user write permission on it and on its directory (SQLite writes its journal beside it), or mount the data directory read-write`);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new StoreError('unavailable', `cannot open the database \`${file}\`: check that it is a file this user may read and write, in a directory it may write to`);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('corrupt', `the database \`${file}\` is damaged (${detail}): restore the data directory from a backup, or move it aside and create a keyserver anew (\`kss keyserver create\`)`);
  }
  if (code === 'SQLITE_FULL') return new StoreError('unavailable', `the disk holding \`${file}\` is full: free some space and try again`);
  if (code.startsWith('SQLITE_IOERR')) return new StoreError('unavailable', `cannot read or write the database \`${file}\` (${detail}): check the disk and its file system`);
  return null;
}

/** A kss.db that SQLite opens but that cannot be a keyserver's (a zero-length file). */
export function damaged(file: string, why: string): StoreError {
  return new StoreError('corrupt', `\`${file}\` is damaged: ${why}; restore the data directory from a backup, or restore its identity into an empty data directory with \`kss keyserver recovery-ingest-key\``);
}
