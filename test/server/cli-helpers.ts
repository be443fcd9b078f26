/** Running the real CLI (`node bin/kss.js`, built by the global setup) and `kss serve` processes. */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const KSS = `${ROOT}bin/kss.js`;

export function kss(args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [KSS, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, cwd: ROOT });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The CLI without blocking this process: for tests whose server runs in this process (a synchronous
 * run would stall it for as long as the CLI runs, and its idle keep-alive sockets close under the
 * client's next request).
 */
export function kssAsync(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [KSS, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, cwd: ROOT }, (err, stdout, stderr) => {
      const status = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** Resolves on 'close' (not 'exit'), so everything the process wrote has been read. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `kss serve --port 0` and resolves with its URL (the JSON first line on stdout). One
 * process unless `extra` says `--workers` (the tests of several are test/server/workers.test.ts
 * and process.test.ts): the default, one per core, would double every test's processes.
 */
export function serve(dataDir: string, extra: string[] = []): Promise<ServeProcess> {
  const workers = extra.includes('--workers') ? [] : ['--workers', '1'];
  const child = spawn(process.execPath, [KSS, 'serve', '--data-dir', dataDir, '--port', '0', '--tz', 'UTC', ...workers, ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        resolve({ child, url: JSON.parse(line).listening, stderr: () => err, exited });
      } catch {
        reject(new Error(`unexpected first line from kss serve: ${line}`));
      }
    });
    void exited.then(({ code }) => reject(new Error(`kss serve exited (${code}) before listening:\n${err}`)));
  });
}
