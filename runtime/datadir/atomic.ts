/** Replacing a small file in one step: a crash or a reader sees the old file or the new one, never half. */
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

/**
 * Writes `text` to a temporary file beside `path`, flushes it to disk and renames it over `path`.
 * The file gets `mode` (not masked by the umask), or with `keepMode` the mode of the file it
 * replaces: an administrator's own file keeps the permissions they gave it.
 */
export function writeFileAtomic(path: string, text: string, o: { mode?: number; keepMode?: boolean } = {}): void {
  const keep = (o.keepMode ? existingMode(path) : null) ?? o.mode ?? 0o600;
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', keep);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, keep);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

function existingMode(path: string): number | null {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return null;
  }
}
