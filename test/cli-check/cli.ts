/**
 * Runs the real CLI in a child process. The CLI is bundled once per test run into
 * node_modules/.cache (inside the repository, so that its external packages resolve), leaving
 * dist/ alone for whoever else is building at the same time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../../', import.meta.url).pathname;
// One folder per test file (pid + random): files running in parallel, or one after the other in the
// same worker, never share or delete each other's build.
const outdir = `${root}node_modules/.cache/kss-cli-check-${process.pid}-${Math.random().toString(36).slice(2, 8)}/`;

export async function buildCli(): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { 'cli/main': `${root}cli/main.ts` },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  writeFileSync(`${outdir}run.mjs`, "import { main } from './cli/main.js';\nprocess.exitCode = await main(process.argv);\n");
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function kss(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Run {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const result = spawnSync(process.execPath, [`${outdir}run.mjs`, ...args], {
    cwd: options.cwd ?? root,
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The command line that runs the built CLI (for tests that need an asynchronous child). */
export function kssCommand(args: string[]): [string, string[]] {
  return [process.execPath, [`${outdir}run.mjs`, ...args]];
}

export function removeCli(): void {
  rmSync(outdir, { recursive: true, force: true });
}
