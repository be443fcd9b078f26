/**
 * A MariaDB of its own for the test that stops and restarts mysqld: stopping the shared one would
 * break the other test files running at the same time. Started by the same .ci/mariadb.sh, with
 * its own data directory, port, socket and env file.
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_DIR } from './kss.js';

const run = promisify(execFile);

export interface PrivateMariaDb {
  uri: string;
  /** SIGTERM and wait until the process is gone (a clean shutdown, as an operator's stop). */
  stop(): Promise<void>;
  /** Start again on the same data directory and port; resolves when it answers. */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT: a database that hangs instead of refusing (connections accepted, no answers). */
  freeze(): void;
  thaw(): void;
  /** Stop it for good and remove its files. */
  destroy(): Promise<void>;
}

function readEnv(file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
  }
  return vars;
}

export async function privateMariaDb(name: string): Promise<PrivateMariaDb> {
  const root = `/tmp/kss-mariadb-${name}-${process.pid}`;
  const envFile = `${root}.env`;
  const env = { ...process.env, KSS_MARIADB_ROOT: root, KSS_MARIADB_ENV: envFile };
  await run('bash', [join(REPO_DIR, '.ci', 'mariadb.sh')], { env });
  const vars = readEnv(envFile);
  const pidFile = vars.KSS_TEST_MYSQL_PIDFILE!;
  const pid = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0);
  const alive = (p: number) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  const answers = async () => {
    try {
      await run(vars.KSS_TEST_MYSQL_CLIENT!, ['--protocol=socket', '-S', vars.KSS_TEST_MYSQL_SOCKET!, '-u', 'root', '-e', 'SELECT 1']);
      return true;
    } catch {
      return false;
    }
  };
  return {
    uri: vars.KSS_TEST_MYSQL_URI!,
    async stop() {
      const p = pid();
      if (!p || !alive(p)) return;
      process.kill(p, 'SIGTERM');
      for (let i = 0; i < 300 && alive(p); i++) await new Promise((r) => setTimeout(r, 50));
      if (alive(p)) process.kill(p, 'SIGKILL');
    },
    async start() {
      const [cmd, ...args] = vars.KSS_TEST_MYSQLD_CMD!.split(' ');
      spawn(cmd!, args, { detached: true, stdio: 'ignore' }).unref();
      for (let i = 0; i < 300; i++) {
        if (await answers()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the private MariaDB in ${root} did not come back within 30 s`);
    },
    freeze() {
      process.kill(pid(), 'SIGSTOP');
    },
    thaw() {
      process.kill(pid(), 'SIGCONT');
    },
    async destroy() {
      try {
        process.kill(pid(), 'SIGCONT');
      } catch {
        /* not running */
      }
      await run('bash', [join(REPO_DIR, '.ci', 'mariadb.sh'), 'stop'], { env }).catch(() => undefined);
    },
  };
}
