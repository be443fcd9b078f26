/**
 * The MySQL/MariaDB connection pool of one keyserver instance, with the two behaviours cluster
 * mode depends on:
 * - fail fast: short connect/query timeouts, and while the database is known to be down at most
 *   one probe per PROBE_MS reaches the network; everyone else gets StoreError('unavailable') at
 *   once (the server answers 503). The first probe that succeeds closes the breaker again.
 * - transactions that retry deadlocks and lock wait timeouts inside, never showing them to a caller.
 */
import mysql from 'mysql2/promise';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { StoreError } from '../types.js';
import { describeTarget, type MysqlTarget } from './uri.js';

const CONNECT_TIMEOUT_MS = 1000;
/** Above the session lock wait below, so lock waits surface as retryable errors first. */
const QUERY_TIMEOUT_MS = 3000;
const LOCK_WAIT_S = 1;
const PROBE_MS = 250;
const MAX_ATTEMPTS = 8;

/** Server errors after which the whole transaction is simply run again. */
const RETRYABLE_ERRNO = new Set([
  1213, // ER_LOCK_DEADLOCK
  1205, // ER_LOCK_WAIT_TIMEOUT
]);

/** Errors meaning "the database is not there": connect failures, lost connections, timeouts. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND',
  'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_QUERY_INTERRUPTED',
  'ER_CONNECTION_KILLED', 'ER_NORMAL_SHUTDOWN', 'ER_SHUTDOWN_COMPLETE',
]);

interface SqlError {
  code?: string;
  errno?: number;
  fatal?: boolean;
  message?: string;
}

export function isRetryable(error: unknown): boolean {
  const e = error as SqlError;
  return typeof e?.errno === 'number' && RETRYABLE_ERRNO.has(e.errno);
}

export function isUnavailable(error: unknown): boolean {
  const e = error as SqlError;
  if (error instanceof StoreError) return error.code === 'unavailable';
  if (e?.code && UNAVAILABLE_CODES.has(e.code)) return true;
  // A fatal error we do not know by name still means this connection is gone.
  return e?.fatal === true;
}

export type Params = ReadonlyArray<unknown>;

export interface Statement {
  sql: string;
  params?: Params;
}

/**
 * A transaction. Its first statement travels with the BEGIN, and `commitWith` sends the last
 * writes with the COMMIT, so a read-then-write transaction costs two round trips. The hot paths
 * (quota, audit) go further: `Db.atomic` sends the whole transaction as one packet.
 */
export interface Tx {
  query<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  execute(sql: string, params?: Params): Promise<{ affectedRows: number; insertId: number }>;
  /**
   * Runs these statements and COMMIT in one round trip; the transaction is over afterwards.
   * Resolves to each statement's result (rows or an OK packet), in order.
   */
  commitWith(statements: Statement[]): Promise<unknown[]>;
}

export class Db {
  readonly location: string;
  private readonly pool: Pool;
  private down = false;
  private nextProbe = 0;
  private closed = false;

  constructor(target: MysqlTarget, connectionLimit = 16) {
    this.location = describeTarget(target);
    this.pool = mysql.createPool({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: target.database,
      connectionLimit,
      maxIdle: connectionLimit,
      connectTimeout: CONNECT_TIMEOUT_MS,
      waitForConnections: true,
      queueLimit: 0,
      enableKeepAlive: true,
      charset: 'utf8mb4_bin',
      supportBigNumbers: true,
      bigNumberStrings: false,
      // Only for BEGIN/COMMIT riding with a transaction's first and last statements (Tx); every
      // value still goes through placeholders.
      multipleStatements: true,
    });
    // Every new connection: no gap locks (READ COMMITTED), and short lock waits so a stuck lock
    // becomes a retry instead of a hung request.
    this.pool.pool.on('connection', (conn) => {
      conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      conn.query(`SET SESSION innodb_lock_wait_timeout = ${LOCK_WAIT_S}`);
    });
  }

  /** One statement outside a transaction (autocommit). */
  async query<T = Record<string, unknown>>(sql: string, params: Params = []): Promise<T[]> {
    return this.withConnection(async (conn) => (await run(conn, sql, params)) as T[]);
  }

  async execute(sql: string, params: Params = []): Promise<{ affectedRows: number; insertId: number }> {
    return this.withConnection(async (conn) => (await run(conn, sql, params)) as unknown as { affectedRows: number; insertId: number });
  }

  /**
   * Runs `fn` in a transaction and commits. Deadlocks, lock wait timeouts and errors `retryAlso`
   * accepts roll back and run `fn` again (with a short random pause) up to MAX_ATTEMPTS times.
   */
  async tx<T>(fn: (tx: Tx) => Promise<T>, retryAlso: (error: unknown) => boolean = () => false): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.withConnection(async (conn) => {
          let begun = false;
          let ended = false;
          const send = async (sql: string, params: Params): Promise<unknown> => {
            if (ended) throw new Error('statement after the transaction was committed');
            if (begun) return run(conn, sql, params);
            begun = true;
            return ((await run(conn, `BEGIN; ${sql}`, params)) as unknown[])[1];
          };
          try {
            const tx: Tx = {
              query: async (sql, params = []) => (await send(sql, params)) as never,
              execute: async (sql, params = []) => (await send(sql, params)) as never,
              commitWith: async (statements) => {
                if (ended) throw new Error('the transaction was already committed');
                const lead = begun ? 0 : 1;
                const sql = [...(begun ? [] : ['BEGIN']), ...statements.map((st) => st.sql), 'COMMIT'].join('; ');
                begun = true;
                const results = (await run(conn, sql, statements.flatMap((st) => [...(st.params ?? [])]))) as unknown[];
                ended = true;
                return results.slice(lead, lead + statements.length);
              },
            };
            const result = await fn(tx);
            if (begun && !ended) await run(conn, 'COMMIT', []);
            return result;
          } catch (error) {
            if (begun && !ended && !isUnavailable(error)) await run(conn, 'ROLLBACK', []).catch(() => undefined);
            throw error;
          }
        });
      } catch (error) {
        if (attempt < MAX_ATTEMPTS && (isRetryable(error) || retryAlso(error))) {
          await sleep(2 + Math.random() * 8 * attempt);
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * BEGIN, the statements and COMMIT in one round trip (retried like tx): whatever locks the
   * statements take are held only while the server runs them, never across the network.
   */
  async atomic(statements: Statement[]): Promise<unknown[]> {
    return this.tx((tx) => tx.commitWith(statements));
  }

  /** True when the last contact with the database failed (for /healthz). */
  get degraded(): boolean {
    return this.down;
  }

  private async withConnection<T>(fn: (conn: PoolConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('unavailable', `the store ${this.location} is closed`);
    const now = Date.now();
    if (this.down && now < this.nextProbe) throw this.unavailable();
    if (this.down) this.nextProbe = now + PROBE_MS;
    let conn: PoolConnection;
    try {
      conn = await this.pool.getConnection();
    } catch (error) {
      throw this.configProblem(error) ?? this.noteFailure(error);
    }
    try {
      const result = await fn(conn);
      this.down = false;
      conn.release();
      return result;
    } catch (error) {
      if (isUnavailable(error)) {
        conn.destroy();
        throw this.noteFailure(error);
      }
      conn.release();
      throw error;
    }
  }

  /** Errors that waiting will not cure: say what to fix instead of "unavailable". */
  private configProblem(error: unknown): StoreError | null {
    const code = (error as SqlError)?.code;
    if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
      return new StoreError('unavailable', `the database ${this.location} refused the login; check the user and the password (in the URI or KSS_DB_PASSWORD) and the user's grants`);
    }
    if (code === 'ER_BAD_DB_ERROR') {
      return new StoreError('not-found', `the database ${this.location} does not exist; create it first (CREATE DATABASE ... CHARACTER SET utf8mb4)`);
    }
    return null;
  }

  private noteFailure(error: unknown): Error {
    if (!isUnavailable(error)) return error as Error;
    if (!this.down) {
      this.down = true;
      this.nextProbe = Date.now() + PROBE_MS;
    }
    return this.unavailable(error);
  }

  private unavailable(cause?: unknown): StoreError {
    const why = cause ? `: ${(cause as SqlError).code ?? (cause as SqlError).message ?? String(cause)}` : '';
    return new StoreError('unavailable', `the database ${this.location} is unavailable${why}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end().catch(() => undefined);
  }
}

async function run(conn: PoolConnection, sql: string, params: Params): Promise<unknown> {
  const [rows] = await conn.query({ sql, values: params as unknown[], timeout: QUERY_TIMEOUT_MS });
  return rows;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
