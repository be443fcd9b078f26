/**
 * vitest global setup: makes `npm test` self-contained. Unless KSS_TEST_MYSQL_URI points at a
 * database already, it starts a throwaway MariaDB of this checkout's own (.ci/mariadb.sh, which
 * installs Debian's mariadb-server when missing), passes its settings to the test workers through
 * the environment, and stops it when the run ends. Two checkouts never share one: each has its
 * own data directory, port and socket, named after the checkout's path.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './shared.js';

const ROOT = `/tmp/kss-mariadb-${createHash('sha256').update(REPO_DIR).digest('hex').slice(0, 12)}`;
const ENV = { ...process.env, KSS_MARIADB_ROOT: ROOT, KSS_MARIADB_ENV: `${ROOT}.env` };
let startedHere = false;

export function setup(): void {
  if (process.env.KSS_TEST_MYSQL_URI) return;
  try {
    execFileSync('bash', [join(REPO_DIR, '.ci', 'mariadb.sh')], { stdio: ['ignore', 'pipe', 'pipe'], env: ENV, encoding: 'utf8' });
  } catch (err) {
    const detail = (err as { stderr?: string }).stderr ?? (err as Error).message;
    process.stderr.write(`mariadb-setup: could not start MariaDB; the cluster tests will fail\n${detail}\n`);
    return;
  }
  // A server this checkout left running (a run that was killed) is reused and stopped with this run.
  startedHere = true;
  for (const line of readFileSync(`${ROOT}.env`, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) process.env[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
}

export function teardown(): void {
  if (startedHere) execFileSync('bash', [join(REPO_DIR, '.ci', 'mariadb.sh'), 'stop'], { stdio: 'ignore', env: ENV });
}
