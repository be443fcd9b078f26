/**
 * `kss serve`: opens the store, takes the single-instance lock, loads the active policy and
 * serves HTTP(S). `startServer` resolves once listening; `close()` drains and releases everything.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { loadPolicy, formatDiagnostics } from '../admin/policy.js';
import { requireIdentity } from '../admin/keyserver.js';
import { notJoinedMessage } from '../identity/local-key.js';
import { DEFAULT_DATA_DIR, openStore, type StoreTarget } from '../store/open.js';
import type { KssStore } from '../store/types.js';
import { machineZone, validZone } from '../store/window.js';
import { jsonLogger, logLevel, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { handle } from './routes.js';
import { KeyserverRuntime } from './runtime.js';

export interface ServeOptions extends StoreTarget {
  /** Load this policy file at start-up (skipped when it is already the active version). */
  policyPath?: string;
  host?: string;
  port?: number;
  tz?: string;
  tlsCert?: string;
  tlsKey?: string;
  logger?: Logger;
  /** How often to poll the store for changes made elsewhere (ms). */
  pollMs?: number;
  version?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  keyserverId: string;
  runtime: KeyserverRuntime;
  close(): Promise<void>;
}

export class ServeError extends Error {}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const log = opts.logger ?? jsonLogger(logLevel(process.env.KSS_LOG_LEVEL));
  const tz = opts.tz ?? machineZone();
  if (!validZone(tz)) throw new ServeError(`unknown time zone \`${tz}\` (use an IANA name such as Europe/Berlin, UTC, or an offset such as +04:00)`);
  if (!!opts.tlsCert !== !!opts.tlsKey) throw new ServeError('TLS needs both --tls-cert and --tls-key');
  const store = await openStore(opts);
  const cleanup: Array<() => Promise<void> | void> = [() => store.close()];
  const undo = async () => {
    for (const f of cleanup.reverse()) await f();
  };
  try {
    const identity = await requireIdentity(store);
    // Cluster mode: the database holds the public key only. An instance signs with its own copy
    // of the private key, which only create, initialize (backup key + passphrase) or clone-db
    // give it; without one that matches, it must not serve (SQLite stores always hold the key).
    if (identity.privateKey === undefined) throw new ServeError(notJoinedMessage(opts.dataDir ?? DEFAULT_DATA_DIR, identity, store.location));
    cleanup.push(await store.acquireServeLock());
    if (opts.policyPath) await loadStartupPolicy(store, opts.policyPath);
    const metrics = new Metrics();
    const rt = new KeyserverRuntime(store, identity, tz, log, metrics);
    await rt.refresh();
    rt.startPolling(opts.pollMs ?? 250);
    cleanup.push(() => rt.stopPolling());

    let accepting = true;
    const ctx = { rt, metrics, log, version: opts.version ?? '0.1.0', accepting: () => accepting };
    const onRequest = (req: Parameters<typeof handle>[1], res: Parameters<typeof handle>[2]) => void handle(ctx, req, res);
    const server: Server = opts.tlsCert
      ? createHttps({ cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey!) }, onRequest)
      : createHttp(onRequest);
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 8443, opts.host ?? '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const instance = { id: randomUUID(), host: hostname(), version: ctx.version, startedAt: new Date().toISOString() };
    const beat = () => store.heartbeat(instance, new Date().toISOString()).catch((e) => log('warn', 'heartbeat failed', { error: (e as Error).message }));
    await beat();
    const heartbeat = setInterval(() => void beat(), 5000);
    heartbeat.unref();
    const scheme = opts.tlsCert ? 'https' : 'http';
    const host = opts.host ?? '127.0.0.1';
    const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    log('info', 'keyserver listening', { url, keyserver_id: identity.id, tz, policy_version: rt.policyVersion, enabled: rt.enabled });

    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= (async () => {
        accepting = false;
        clearInterval(heartbeat);
        // Stop accepting, let in-flight requests finish, drop idle keep-alive connections.
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // A client that holds a request open must not keep the process alive forever.
          setTimeout(() => server.closeAllConnections(), 10_000).unref();
        });
        await rt.flushAudit();
        await undo();
        log('info', 'keyserver stopped');
      })();
      return closing;
    };
    return { url, port, keyserverId: identity.id, runtime: rt, close };
  } catch (err) {
    await undo();
    throw err;
  }
}

async function loadStartupPolicy(store: KssStore, path: string): Promise<void> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ServeError(`cannot read the policy \`${path}\`: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const active = await store.activePolicy();
  // A restart with the same file must not create a new version (and must not touch counters).
  if (active && active.source === text) return;
  const result = await loadPolicy(store, text, path, 'serve --policy');
  if (!result.activation) {
    throw new ServeError(`the policy \`${path}\` has errors and was not loaded:\n${formatDiagnostics(path, text, result.diagnostics)}`);
  }
}
