/**
 * `kss serve`: opens the store, takes the single-instance lock, loads the active policy and
 * serves HTTP(S). `startServer` resolves once listening; `close()` drains and releases everything.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { requireIdentity } from '../admin/keyserver.js';
import { instanceId } from '../datadir/state.js';
import { onMatchUndecided } from '../evaluator/matcher/index.js';
import { notJoinedMessage } from '../identity/local-key.js';
import { DEFAULT_DATA_DIR, openStore, type StoreTarget } from '../store/open.js';
import type { InstanceRecord, KssStore } from '../store/types.js';
import { machineZone, parseZone, zoneProblem } from '../time/index.js';
import { jsonLogger, logLevel, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { buildHttp } from './http-app.js';
import { DEFAULT_COMPILE_LIMITS, type CompileLimits } from './compile-in-worker.js';
import { KeyserverRuntime } from './runtime.js';
import { AuditSigner } from '../audit/signer.js';
import { loadStartupPolicy, ServeError } from './startup-policy.js';
import { serverZone } from '../admin/policy.js';

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
}

export interface RunningServer {
  url: string;
  port: number;
  keyserverId: string;
  runtime: KeyserverRuntime;
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
    cleanup.push(await store.acquireServeLock());
    await loadStartupPolicy(store, dataDir, opts.policyPath, log, serverZone(tz));
    const metrics = new Metrics();
    // The meta itself stays out of the log (it may name what the client wants to decrypt).
    cleanup.push(onMatchUndecided((e) => {
      metrics.matchUndecided(e.reason);
      log('warn', 'a pattern could not be matched: the rule did not approve', { pattern: e.pattern, reason: e.reason, meta_length: e.subjectLength });
    }));
    const instance = { id: instanceId(dataDir), host: hostname(), version: opts.version ?? '0.1.0', startedAt: new Date().toISOString() };
    const rt = new KeyserverRuntime(store, identity, parseZone(tz), instance.id, log, metrics);
    rt.clientReasons = opts.clientReasons === true;
    await rt.refresh();
    rt.startPolling(opts.pollMs ?? 250);
    cleanup.push(() => rt.stopPolling());
    // Signed checkpoints of the audit head: now (entries of commands run while it was stopped),
    // every 2 s while entries are appended, and after the last entry on a clean stop.
    const signer = new AuditSigner(store, identity, dataDir, (reason) => log('error', reason));
    const signFailed = (e: Error) => log('error', 'cannot sign an audit checkpoint', { error: e.message });
    await signer.checkpoint().catch(signFailed);
    signer.start(undefined, signFailed);
    cleanup.push(() => signer.stop());

    let accepting = true;
    const ctx = { rt, metrics, log, version: instance.version, accepting: () => accepting, compileLimits: opts.compileLimits ?? DEFAULT_COMPILE_LIMITS, requireSignedRequests: opts.requireSignedRequests ?? false };
    const app = buildHttp(ctx, opts.tlsCert ? { https: { cert: readFileSync(opts.tlsCert), key: readFileSync(opts.tlsKey!) } } : {});
    let appClosed: Promise<void> | null = null;
    const closeApp = () => (appClosed ??= app.close());
    cleanup.push(closeApp);
    await app.listen({ port: opts.port ?? 8443, host: opts.host ?? '127.0.0.1' });
    const server = app.server;
    const port = (server.address() as AddressInfo).port;
    const heartbeat = await startHeartbeat(store, rt, instance, log);
    const scheme = opts.tlsCert ? 'https' : 'http';
    const host = opts.host ?? '127.0.0.1';
    const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    log('info', 'keyserver listening', { url, keyserver_id: identity.id, tz, policy_version: rt.policyVersion, enabled: rt.enabled });

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
        signer.stop();
        await signer.checkpoint().catch(signFailed);
        await heartbeat.last();
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

type Instance = Omit<InstanceRecord, 'lastHeartbeat' | 'policyVersion' | 'stoppedAt'>;

/**
 * Heartbeats every 5 s, and at once when the instance starts running another policy version, so
 * that `instance list` shows which version each instance runs within a poll of the change. The
 * last beat, on a clean stop, says so: the instance is Offline at once, not 10 s later.
 */
async function startHeartbeat(store: KssStore, rt: KeyserverRuntime, instance: Instance, log: Logger): Promise<{ stop(): void; last(): Promise<void> }> {
  const running = () => rt.loaded?.version ?? null;
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
