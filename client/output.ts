/**
 * Output files appear whole or not at all: written to a temporary file beside the target (mode
 * 0600) and renamed over it only after the last byte is written (and, decrypting, authenticated).
 */
import { closeSync, existsSync, openSync, renameSync, rmSync } from 'node:fs';
import { ClientError } from './profile-dir.js';

export async function writeWhole(target: string, fn: (fd: number) => Promise<void> | void): Promise<void> {
  if (existsSync(target)) throw new ClientError(`\`${target}\` already exists; remove it or choose another -o`);
  const tmp = `${target}.kss-partial-${process.pid}`;
  const fd = openSync(tmp, 'wx', 0o600);
  let done = false;
  try {
    await fn(fd);
    closeSync(fd);
    done = true;
    renameSync(tmp, target);
  } finally {
    if (!done) closeSync(fd);
    rmSync(tmp, { force: true });
  }
}
