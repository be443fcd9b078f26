/** `kss serve`: the keyserver's HTTP API. Stops gracefully on SIGTERM/SIGINT. */
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
    .action(async (o: ServeCliOpts) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`invalid --port \`${o.port}\``, 2);
      const server = await guard(async () => {
        try {
          return await startServer({
            dataDir: o.dataDir, dbUri: o.dbUri, policyPath: o.policy, host: o.host, port, tz: o.tz,
            tlsCert: o.tlsCert, tlsKey: o.tlsKey, requireSignedRequests: o.requireSignedRequests,
            clientReasons: o.clientReasons === true,
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
      });
      // Machine-readable first line on stdout so scripts and tests can find the port.
      process.stdout.write(`${JSON.stringify({ listening: server.url, keyserver_id: server.keyserverId })}\n`);
      await stopped;
    });
}
