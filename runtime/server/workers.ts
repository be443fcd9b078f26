/**
 * `kss serve --workers N`, N > 1: this process (the primary, node:cluster) holds the serve lock,
 * loaded the start-up policy and heartbeats; N worker processes each run the whole server
 * (app.ts with `worker: true`) behind one port, which the primary accepts on and hands out.
 * Workers coordinate through the store as separate servers would (runtime/quota/server-quota.ts
 * for the shared counters; polling for enable/disable, policies, clears and tokens). The primary
 * restarts a worker that dies, and on close stops them all (each drains its requests) before it
 * sends the last heartbeat and releases the lock. A worker whose primary dies exits at once
 * (node:cluster does so when the IPC channel closes), so a kill -9 of the primary ends the server.
 */
import cluster, { type Worker } from 'node:cluster';
import type { KssStore } from '../store/types.js';
import { MetricsGatherer, type MetricsMessage } from './cluster-metrics.js';
import type { Logger } from './log.js';
import { ServeError } from './startup-policy.js';

/** A worker that dies sooner than this after it started is restarted after this delay (no crash loop at full speed). */
const RESTART_DELAY_MS = 1000;
/** How long a stopping worker may drain before it is killed (app.ts gives connections 10 s). */
const STOP_TIMEOUT_MS = 15_000;

/** How many workers the primary runs, for each of them (`/v1/status` says it). */
export const WORKERS_ENV = 'KSS_SERVE_WORKERS';

/** In a worker: how many workers serve the port (the primary said so when it forked it). */
export function workersOfThisServer(): number {
  const n = Number(process.env[WORKERS_ENV]);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/** What a worker tells the primary (process.send). */
export interface WorkerMessage {
  kss: 'policy';
  version: number | null;
}

export interface Workers {
  port: number;
  /** The policy version every worker runs, or null while they differ or run none (for the heartbeat). */
  policyVersion(): number | null;
  stop(): Promise<void>;
}

/**
 * Forks `count` workers (re-running this program: the CLI's serve action sees `cluster.isWorker`)
 * and resolves once all of them listen. A worker that exits before it listens fails the start.
 */
export async function startWorkers(count: number, log: Logger): Promise<Workers> {
  const versions = new Map<number, number | null>();
  const live = new Set<Worker>();
  const metrics = new MetricsGatherer(() => live);
  let stopping = false;
  let port = -1;
  const fork = () => {
    const w = cluster.fork({ KSS_SERVE_WORKER: '1', [WORKERS_ENV]: String(count) });
    const started = Date.now();
    live.add(w);
    w.on('message', (m: WorkerMessage | MetricsMessage) => {
      if (m?.kss === 'policy') versions.set(w.id, m.version);
      else metrics.handle(w, m);
    });
    w.once('exit', (code, signal) => {
      live.delete(w);
      versions.delete(w.id);
      if (stopping || port < 0) return;
      log('error', 'a worker process died; starting another', { pid: w.process.pid, code, signal });
      setTimeout(() => stopping || fork(), Date.now() - started < RESTART_DELAY_MS ? RESTART_DELAY_MS : 0).unref();
    });
    return w;
  };
  const first = Array.from({ length: count }, fork);
  try {
    const ports = await Promise.all(first.map((w) => listeningPort(w)));
    port = ports[0]!;
  } catch (error) {
    stopping = true;
    await stopAll(live);
    throw error;
  }
  log('info', 'worker processes listening', { workers: count, pids: first.map((w) => w.process.pid) });
  return {
    port,
    policyVersion: () => {
      const seen = new Set(versions.values());
      return versions.size === live.size && seen.size === 1 ? [...seen][0]! : null;
    },
    stop: async () => {
      stopping = true;
      await stopAll(live);
    },
  };
}

/**
 * The port a worker listens on, once it also said which policy it runs (so the first heartbeat
 * after the start, and `instance list`, show it).
 */
function listeningPort(w: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    let port = -1;
    let reported = false;
    const done = () => {
      if (port < 0 || !reported) return;
      w.off('exit', exit);
      resolve(port);
    };
    const exit = (code: number | null) => reject(new ServeError(`a worker process could not start (exit status ${code}); see its message above`));
    w.once('exit', exit);
    w.once('listening', (address) => ((port = address.port), done()));
    const report = (m: WorkerMessage) => {
      if (m?.kss !== 'policy') return;
      w.off('message', report);
      reported = true;
      done();
    };
    w.on('message', report);
  });
}

/** SIGTERM to each (it drains and exits), SIGKILL to those still running after STOP_TIMEOUT_MS. */
async function stopAll(live: Set<Worker>): Promise<void> {
  const exits = [...live].map((w) => new Promise<void>((resolve) => {
    if (w.process.exitCode !== null || w.process.signalCode !== null) return resolve();
    w.once('exit', () => resolve());
    w.process.kill('SIGTERM');
    setTimeout(() => w.process.kill('SIGKILL'), STOP_TIMEOUT_MS).unref();
  }));
  await Promise.all(exits);
}

/** In a worker: tells the primary which policy version this process runs, whenever it changes. */
export function reportToPrimary(running: () => number | null): () => void {
  let reported: number | null | undefined;
  const tick = () => {
    const v = running();
    if (v === reported || !process.send) return;
    reported = v;
    process.send({ kss: 'policy', version: v } satisfies WorkerMessage);
  };
  tick();
  const timer = setInterval(tick, 250);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * How many worker processes: `requested` ('auto': one per core), at most what the store allows
 * (KssStore.maxWorkers); asking for more than it allows is refused with the reason.
 */
export function workerCount(requested: number | 'auto', store: KssStore, cores: number): number {
  if (requested === 'auto') return Math.max(1, Math.min(cores, store.maxWorkers));
  if (requested > store.maxWorkers) {
    throw new ServeError(`--workers ${requested}: the store ${store.location} allows ${store.maxWorkers} process per instance (its persistent: false counters live in the process); run more instances instead`);
  }
  return requested;
}
