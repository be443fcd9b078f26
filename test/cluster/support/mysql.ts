/**
 * The real MariaDB the cluster tests use (.ci/mariadb.sh starts it; vitest's global setup or
 * .ci/run exports KSS_TEST_MYSQL_*). Without it the tests fail with a message saying so:
 * cluster mode is not optional in CI, so there is no silent skip.
 */
import mysql from 'mysql2/promise';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseMysqlUri } from '../../../runtime/store/mysql/uri.js';

const ENV_FILE = process.env.KSS_MARIADB_ENV ?? '/tmp/kss-mariadb.env';

export interface MysqlTestEnv {
  uri: string;
  pidFile: string;
  dataDir: string;
  socket: string;
  client: string;
  startCmd: string;
}

export function mysqlTestEnv(): MysqlTestEnv {
  const vars: Record<string, string | undefined> = { ...process.env };
  if (!vars.KSS_TEST_MYSQL_URI && existsSync(ENV_FILE)) {
    for (const line of readFileSync(ENV_FILE, 'utf8').split('\n')) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
      if (m) vars[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1');
    }
  }
  if (!vars.KSS_TEST_MYSQL_URI) {
    throw new Error('KSS_TEST_MYSQL_URI is not set: the cluster tests need MariaDB. Run `bash .ci/mariadb.sh` (it writes /tmp/kss-mariadb.env) and run the tests again');
  }
  return {
    uri: vars.KSS_TEST_MYSQL_URI,
    pidFile: vars.KSS_TEST_MYSQL_PIDFILE ?? '',
    dataDir: vars.KSS_TEST_MYSQL_DATADIR ?? '',
    socket: vars.KSS_TEST_MYSQL_SOCKET ?? '',
    client: vars.KSS_TEST_MYSQL_CLIENT ?? 'mariadb',
    startCmd: vars.KSS_TEST_MYSQLD_CMD ?? '',
  };
}

/** A URI like the test one but for `database`. */
export function withDatabase(uri: string, database: string): string {
  const t = parseMysqlUri(uri, {});
  return `mysql://${encodeURIComponent(t.user)}:${encodeURIComponent(t.password)}@${t.host}:${t.port}/${database}`;
}

/** A new empty database (kss_test_<random>) for one test file; drop it with dropDatabase. */
export async function freshDatabase(): Promise<string> {
  const env = mysqlTestEnv();
  const name = `kss_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(env.uri, `CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  return withDatabase(env.uri, name);
}

export async function dropDatabase(uri: string): Promise<void> {
  const { database } = parseMysqlUri(uri, {});
  if (!database.startsWith('kss_test_')) throw new Error(`refusing to drop ${database}`);
  await admin(mysqlTestEnv().uri, `DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
}

/** Runs one statement on its own connection (test setup and inspection, not through the store). */
export async function admin<T = unknown>(uri: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const t = parseMysqlUri(uri, {});
  const conn = await mysql
    .createConnection({ host: t.host, port: t.port, user: t.user, password: t.password, database: t.database, connectTimeout: 3000 })
    .catch((e: Error) => {
      throw new Error(`cannot reach the test MariaDB at ${t.host}:${t.port} (${e.message}); start it with \`bash .ci/mariadb.sh\``);
    });
  try {
    const [rows] = await conn.query(sql, params);
    return rows as T[];
  } finally {
    await conn.end();
  }
}
