/** `kss serve`: the keyserver's HTTP API. Stops gracefully on SIGTERM/SIGINT. */
import cluster from 'node:cluster';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { ServeError, startServer } from '../../runtime/server/app.js';
import { guard, withStore, type StoreOpts } from './keyserver/common.js';

interface ServeCliOpts extends StoreOpts {
  policy?: string;
  host: string;
  port: string;
  tz?: string;
  tlsCert?: string;
  tlsKey?: string;
  requireSignedRequests?: boolean;
  clientReasons?: boolean;
  workers: string;
}

/** `auto` or a whole number from 1 to MAX_WORKERS. */
const MAX_WORKERS = 64;

function parseWorkers(v: string): number | 'auto' {
  if (v === 'auto') return v;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new CliError(`invalid --workers \`${v}\` (a whole number from 1 to ${MAX_WORKERS}, or auto)`, 2);
  return n;
}

export function register(program: Command): void {
  withStore(program.command('serve').description('run the keyserver HTTP API'))
    .option('--policy <file>', "load this policy at start-up and make it the data directory's keyserver.yml (default: load keyserver.yml when it was edited since it was last loaded)")
    .option('--host <host>', 'address to bind (loopback unless told otherwise)', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 picks a free one)', '8443')
    .option('--tz <zone>', 'time zone for time rules and quota windows (IANA name, UTC or ±HH:MM; default the machine\'s)')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM)')
    .option('--tls-key <file>', 'private key of --tls-cert (PEM)')
    .option('--require-signed-requests', 'decide only device-signed requests (POST /v1/shards); refuse token-only POST /v1/requests')
    .option('--client-reasons', "a client token's denial carries the reasons' stable codes (a reason can tell a client about the policy; admin tokens always get the reasons)")
    .option('--workers <n>', 'processes serving the port (auto: one per core; a MySQL instance allows 1)', 'auto')
    .action(async (o: ServeCliOpts) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`invalid --port \`${o.port}\``, 2);
      const workers = parseWorkers(o.workers);
      // A worker process re-runs this command (runtime/server/workers.ts): it serves, and the
      // primary says where.
      const worker = cluster.isWorker && process.env.KSS_SERVE_WORKER === '1';
      // A signal while it starts (a worker: its primary stopping; the primary: its workers answer
      // before it has finished starting) stops it once started, cleanly: no kill mid-start.
      let stopEarly = false;
      const early = () => (stopEarly = true);
      for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, early);
      const server = await guard(async () => {
        try {
          return await startServer({
            dataDir: o.dataDir, dbUri: o.dbUri, policyPath: o.policy, host: o.host, port, tz: o.tz,
            tlsCert: o.tlsCert, tlsKey: o.tlsKey, requireSignedRequests: o.requireSignedRequests,
            clientReasons: o.clientReasons === true,
            workers, worker,
          });
        } catch (e) {
          if (e instanceof ServeError) throw new CliError(e.message, 1);
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE') throw new CliError(`port ${port} on ${o.host} is already in use`, 1);
          if (code === 'EACCES' && (e as { syscall?: string }).syscall === 'listen') throw new CliError(`not allowed to listen on port ${port} (ports below 1024 need privileges)`, 1);
          if (code === 'EADDRNOTAVAIL') throw new CliError(`cannot bind to \`${o.host}\` (not an address of this machine)`, 1);
          throw e;
        }
      });
      // Handlers first: whoever reads the line below may signal at once, and a signal without a
      // handler would end the process without draining.
      const stopped = new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          void server.close().then(resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
        for (const sig of ['SIGTERM', 'SIGINT'] as const) process.off(sig, early);
        if (stopEarly) stop();
      });
      // Machine-readable first line on stdout so scripts and tests can find the port.
      if (!worker) process.stdout.write(`${JSON.stringify({ listening: server.url, keyserver_id: server.keyserverId })}\n`);
      await stopped;
      // The IPC channel to the primary keeps a worker alive: close it so the process ends when drained.
      if (worker) cluster.worker?.disconnect();
    });
}
