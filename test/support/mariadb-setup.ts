/**
 * vitest global setup: makes `npm test` self-contained. When KSS_TEST_MYSQL_URI is not set, it starts
 * (or reuses) the throwaway MariaDB of .ci/mariadb.sh and passes its settings to the test workers
 * through the environment. The cluster tests then fail loudly if the database is not there.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './shared.js';

const ENV_FILE = '/tmp/kss-mariadb.env';
let startedHere = false;

export function setup(): void {
  if (process.env.KSS_TEST_MYSQL_URI) return;
  try {
    execFileSync('bash', [join(REPO_DIR, '.ci', 'mariadb.sh')], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, KSS_MARIADB_ENV: ENV_FILE } });
    startedHere = true;
  } catch {
    process.stderr.write('mariadb-setup: could not start MariaDB; the cluster tests will fail\n');
    return;
  }
  for (const line of readFileSync(ENV_FILE, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) process.env[match[1]!] = match[2]!.replace(/^"(.*)"$/, '$1');
  }
}

export function teardown(): void {
  // Leave a server started by .ci/run (or by hand) alone; stop only our own.
  if (startedHere && process.env.CI) execFileSync('bash', [join(REPO_DIR, '.ci', 'mariadb.sh'), 'stop'], { stdio: 'ignore' });
}
