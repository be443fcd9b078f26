/**
 * A TCP proxy in front of the test MariaDB that a test can cut and restore: "the database went
 * away" for one store only, without stopping the server other test files are using.
 */
import net from 'node:net';

export interface CuttableProxy {
  port: number;
  /** Drops every open connection and refuses new ones (the port stays bound). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function cuttableProxy(targetHost: string, targetPort: number): Promise<CuttableProxy> {
  let up = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut() {
      up = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
