/**
 * `kss serve`: opens the store, takes the single-instance lock, loads the active policy and
 * serves HTTP(S). `startServer` resolves once listening; `close()` drains and releases everything.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism, hostname } from 'node:os';
import { requireIdentity } from '../admin/keyserver.js';
import { instanceId } from '../datadir/state.js';
import { onMatchUndecided } from '../evaluator/matcher/index.js';
import { notJoinedMessage } from '../identity/local-key.js';
import { DEFAULT_DATA_DIR, openStore, type StoreTarget } from '../store/open.js';
import type { InstanceRecord, KeyserverIdentity, KssStore } from '../store/types.js';
import { machineZone, parseZone, zoneProblem } from '../time/index.js';
import { jsonLogger, logLevel, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { buildHttp } from './http-app.js';
import { DEFAULT_COMPILE_LIMITS, type CompileLimits } from './compile-in-worker.js';
import { KeyserverRuntime } from './runtime.js';
import { AuditSigner } from '../audit/signer.js';
import { loadStartupPolicy, ServeError } from './startup-policy.js';
import { serverZone } from '../admin/policy.js';
import { dropStaleMirrors } from '../quota/mirror.js';
import { reportToPrimary, startWorkers, workerCount, workersOfThisServer, type Workers } from './workers.js';
import { joinClusterMetrics } from './cluster-metrics.js';

export { ServeError };

export interface ServeOptions extends StoreTarget {
  /**
   * Load this policy file at start-up and make it the data directory's keyserver.yml; without
   * it, keyserver.yml is loaded when it was edited since it was last loaded (startup-policy.ts).
   */
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
  /** Limits of compiling a policy that arrives over HTTP (`PUT /v1/policy`). */
  compileLimits?: CompileLimits;
  /** Refuse plain (token-only) decision requests: only device-signed custody requests are decided. */
  requireSignedRequests?: boolean;
  /** Client tokens' denials carry the reasons' codes (admin tokens always get the reasons). */
  clientReasons?: boolean;
  /**
   * Processes behind the port (`kss serve --workers`): 'auto' is one per core, at most what the
   * store allows; more than one needs the CLI as the program (workers.ts re-runs it). Default 1.
   */
  workers?: number | 'auto';
  /** This process is one of those workers: the primary holds the lock and heartbeats (workers.ts). */
  worker?: boolean;
  /** Internal (tests): false sends `POST /v1/requests` through fastify, not the lean path (http-app.ts). */
  leanDecisions?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  keyserverId: string;
  instanceId: string;
  /** The server's state, in a process that decides (null in the primary of several workers). */
  runtime: KeyserverRuntime | null;
  close(): Promise<void>;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const log = opts.logger ?? jsonLogger(logLevel(process.env.KSS_LOG_LEVEL));
  const tz = opts.tz ?? machineZone();
  const badZone = zoneProblem(tz);
  if (badZone) throw new ServeError(badZone);
  if (!!opts.tlsCert !== !!opts.tlsKey) throw new ServeError('TLS needs both --tls-cert and --tls-key');
  const dataDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  const store = await openStore(opts);
  const cleanup: Array<() => Promise<void> | void> = [() => store.close()];
  const undo = async () => {
    for (const f of cleanup.reverse()) await f();
  };
  try {
    const identity = await requireIdentity(store);
    // Cluster mode: the database holds the public key only. An instance signs with its own copy
    // of the private key, which only create, initialize (backup key + passphrase) or clone-db
    // give it; without one that matches, it must not serve (a SQLite store without its key file
    // refuses in getIdentity).
    if (identity.privateKey === undefined) throw new ServeError(notJoinedMessage(dataDir, identity, store.location));
    const worker = opts.worker === true;
    const count = worker ? 1 : workerCount(opts.workers ?? 1, store, availableParallelism());
    if (!worker) {
      cleanup.push(await store.acquireServeLock());
      await loadStartupPolicy(store, dataDir, opts.policyPath, log, serverZone(tz));
    }
    const instance = { id: instanceId(dataDir), host: hostname(), version: opts.version ?? '0.1.0', startedAt: new Date().toISOString() };
    if (count > 1) return await startPrimary({ store, identity, dataDir, instance, opts: { ...opts, tz }, count, log, undo });
    const metrics = new Metrics();
    // The meta itself stays out of the log (it may name what the client wants to decrypt).
    cleanup.push(onMatchUndecided((e) => {
      metrics.matchUndecided(e.reason);
      log('warn', 'a pattern could not be matched: the rule did not approve', { pattern: e.pattern, reason: e.reason, meta_length: e.subjectLength });
    }));
    // A worker's /metrics answers for all workers, gathered by the primary when scraped.
    if (worker) cleanup.push(joinClusterMetrics(metrics));
    const rt = new KeyserverRuntime(store, identity, parseZone(tz), instance.id, log, metrics, worker);
    rt.clientReasons = opts.clientReasons === true;
    await rt.refresh();
    rt.startPolling(opts.pollMs ?? 250);
    cleanup.push(() => rt.stopPolling());
    // Several workers share one signer, the primary's (startPrimary): a worker signs nothing.
    const signer = worker ? null : await startSigner(store, identity, dataDir, log);
    if (signer) cleanup.push(() => signer.stop());

    let accepting = true;
    const ctx = { rt, metrics, log, version: instance.version, workers: worker ? workersOfThisServer() : 1, accepting: () => accepting, compileLimits: opts.compileLimits ?? DEFAULT_COMPILE_LIMITS, requireSignedRequests: opts.requireSignedRequests ?? false };
    const app = buildHttp(ctx, { ...(opts.tlsCert ? { https: { cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey!) } } : {}), leanDecisions: opts.leanDecisions });
    let appClosed: Promise<void> | null = null;
    const closeApp = () => (appClosed ??= app.close());
    cleanup.push(closeApp);
    await app.listen({ port: opts.port ?? 8443, host: opts.host ?? '127.0.0.1' });
    const server = app.server;
    const port = (server.address() as AddressInfo).port;
    const running = () => rt.loaded?.version ?? null;
    // A worker reports the version it runs; the primary heartbeats for all of them.
    const heartbeat = worker ? workerHeartbeat(running) : await startHeartbeat(store, running, instance, log);
    const url = urlOf(opts, port);
    log('info', worker ? 'worker listening' : 'keyserver listening', { url, keyserver_id: identity.id, tz, policy_version: rt.policyVersion, enabled: rt.enabled, ...(worker ? { pid: process.pid } : {}) });

    let closing: Promise<void> | null = null;
    const close = () => {
      closing ??= (async () => {
        accepting = false;
        heartbeat.stop();
        // Stop accepting, let in-flight requests finish, drop idle keep-alive connections.
        // A client that holds a request open must not keep the process alive forever.
        const force = setTimeout(() => server.closeAllConnections(), 10_000);
        force.unref();
        await closeApp();
        clearTimeout(force);
        await rt.close();
        await signer?.last();
        await heartbeat.last();
        await undo();
        log('info', worker ? 'worker stopped' : 'keyserver stopped', worker ? { pid: process.pid } : {});
      })();
      return closing;
    };
    return { url, port, keyserverId: identity.id, instanceId: instance.id, runtime: rt, close };
  } catch (err) {
    await undo();
    throw err;
  }
}

type Instance = Omit<InstanceRecord, 'lastHeartbeat' | 'policyVersion' | 'stoppedAt'>;

function urlOf(opts: ServeOptions, port: number): string {
  const scheme = opts.tlsCert ? 'https' : 'http';
  const host = opts.host ?? '127.0.0.1';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

interface PrimaryStart {
  store: KssStore;
  identity: KeyserverIdentity;
  dataDir: string;
  instance: Instance;
  opts: ServeOptions;
  count: number;
  log: Logger;
  /** Releases the lock and closes the store. */
  undo: () => Promise<void>;
}

/** The primary of `--workers N` (workers.ts): forks, heartbeats for the workers, stops them all. */
async function startPrimary(p: PrimaryStart): Promise<RunningServer> {
  // The workers' shared counters start empty, as one process's memory does (and so do stale mirrors).
  await dropStaleMirrors(p.store, p.instance.id);
  // The audit checkpoints are signed here, once for all workers (the signer reads the store's head).
  const signer = await startSigner(p.store, p.identity, p.dataDir, p.log);
  let workers: Workers;
  try {
    workers = await startWorkers(p.count, p.log);
  } catch (error) {
    signer.stop();
    throw error;
  }
  const heartbeat = await startHeartbeat(p.store, () => workers.policyVersion(), p.instance, p.log);
  const url = urlOf(p.opts, workers.port);
  const keyserverId = p.identity.id;
  p.log('info', 'keyserver listening', { url, keyserver_id: keyserverId, tz: p.opts.tz, workers: p.count });
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      heartbeat.stop();
      await workers.stop();
      // After the workers' last entries: the clean stop leaves no unsigned tail.
      await signer.last();
      await p.store.dropMemoryQuota(p.instance.id).catch((error: unknown) => p.log('warn', 'cannot drop the shared quota counters', { error: (error as Error).message }));
      await heartbeat.last();
      await p.undo();
      p.log('info', 'keyserver stopped');
    })();
    return closing;
  };
  return { url, port: workers.port, keyserverId, instanceId: p.instance.id, runtime: null, close };
}

interface RunningSigner {
  stop(): void;
  /** Stops the timer and signs the head the last entries left. */
  last(): Promise<void>;
}

/**
 * Signed checkpoints of the audit head: now (entries of commands run while it was stopped),
 * every 2 s while entries are appended, and after the last entry on a clean stop.
 */
async function startSigner(store: KssStore, identity: KeyserverIdentity, dataDir: string, log: Logger): Promise<RunningSigner> {
  const signer = new AuditSigner(store, identity, dataDir, (reason) => log('error', reason));
  const signFailed = (e: Error) => log('error', 'cannot sign an audit checkpoint', { error: e.message });
  await signer.checkpoint().catch(signFailed);
  signer.start(undefined, signFailed);
  return {
    stop: () => signer.stop(),
    last: async () => {
      signer.stop();
      await signer.checkpoint().catch(signFailed);
    },
  };
}

function workerHeartbeat(running: () => number | null): { stop(): void; last(): Promise<void> } {
  const stop = reportToPrimary(running);
  return { stop, last: async () => stop() };
}

/**
 * Heartbeats every 5 s, and at once when the instance starts running another policy version, so
 * that `instance list` shows which version each instance runs within a poll of the change. The
 * last beat, on a clean stop, says so: the instance is Offline at once, not 10 s later.
 */
async function startHeartbeat(store: KssStore, running: () => number | null, instance: Instance, log: Logger): Promise<{ stop(): void; last(): Promise<void> }> {
  let reported = running();
  const beat = (stoppedAt: string | null = null) => {
    reported = running();
    const at = new Date().toISOString();
    return store.heartbeat({ ...instance, policyVersion: reported, stoppedAt: stoppedAt ?? null }, at).catch((e) => log('warn', 'heartbeat failed', { error: (e as Error).message }));
  };
  await beat();
  const timers = [setInterval(() => void beat(), 5000), setInterval(() => void (running() !== reported && beat()), 250)];
  for (const t of timers) t.unref();
  const stop = () => timers.forEach(clearInterval);
  return { stop, last: () => (stop(), beat(new Date().toISOString())) };
}
