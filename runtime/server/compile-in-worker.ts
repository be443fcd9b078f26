/**
 * Compiles a policy (or diffs two versions for the console) in a worker thread with a memory
 * limit (V8's old generation) and a time limit: decisions keep being answered on the main thread
 * meanwhile, and a job over a limit is refused naming it (422) instead of taking the server down. The worker is the bundled
 * dist/runtime/server/compile-worker.js when kss runs from dist/, else (tests, sources) the same
 * entry bundled once per process with esbuild.
 */
import { Worker } from 'node:worker_threads';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PolicySource } from '../../compiler/analyze.js';
import type { CompileResult } from '../../compiler/compile.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import type { SourcesDiff } from '../diff/sources.js';

/** What the worker thread (compile-worker.ts) is asked to do. */
export type WorkerJob =
  | { job: 'compile'; source: Uint8Array; file: string; zone: ZoneInfo }
  | { job: 'diff'; old: string; new: string; tz: string; nowMs: number };

export interface CompileLimits {
  /** Old-generation heap of the worker, in MiB. */
  memoryMb: number;
  timeMs: number;
}

export const DEFAULT_COMPILE_LIMITS: CompileLimits = { memoryMb: 512, timeMs: 20_000 };

export class CompileLimitError extends Error {
  constructor(
    readonly limit: 'memory' | 'time',
    message: string,
  ) {
    super(message);
  }
}

let script: Promise<string> | null = null;

function workerScript(): Promise<string> {
  script ??= (async () => {
    const here = fileURLToPath(import.meta.url);
    const dist = here.lastIndexOf(`${sep}dist${sep}`);
    if (dist >= 0) return join(here.slice(0, dist), 'dist', 'runtime', 'server', 'compile-worker.js');
    const root = join(dirname(here), '..', '..');
    const out = join(root, 'node_modules', '.cache', 'kss-compile-worker', `${process.pid}.mjs`);
    if (!existsSync(out)) {
      mkdirSync(dirname(out), { recursive: true });
      const { build } = await import('esbuild');
      await build({ entryPoints: [join(root, 'runtime/server/compile-worker.ts')], outfile: out, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
    }
    return out;
  })();
  return script;
}

export async function compileInWorker(source: PolicySource, file: string, zone: ZoneInfo, limits: CompileLimits = DEFAULT_COMPILE_LIMITS): Promise<CompileResult> {
  return inWorker({ job: 'compile', source: typeof source === 'string' ? Buffer.from(source) : source, file, zone }, limits, 'compiling the policy', 'simplify the policy');
}

/** Two policy texts compared (runtime/diff/sources.ts) under the same limits as a compile. */
export async function diffInWorker(oldText: string, newText: string, tz: string, limits: CompileLimits = DEFAULT_COMPILE_LIMITS): Promise<SourcesDiff | { error: string }> {
  return inWorker({ job: 'diff', old: oldText, new: newText, tz, nowMs: Date.now() }, limits, 'comparing the two policies', 'compare smaller versions with `kss diff`');
}

async function inWorker<T>(job: WorkerJob, limits: CompileLimits, doing: string, advice: string): Promise<T> {
  const worker = new Worker(await workerScript(), { resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb } });
  try {
    return await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CompileLimitError('time', `${doing} took longer than the time limit (${limits.timeMs} ms); ${advice}`)), limits.timeMs);
      worker.once('message', (r: T) => (clearTimeout(timer), resolve(r)));
      worker.once('error', (e: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new CompileLimitError('memory', `${doing} needs more memory than the limit (${limits.memoryMb} MiB); ${advice}`) : e);
      });
      worker.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the worker thread stopped while ${doing} (exit code ${code})`))));
      worker.postMessage(job);
    });
  } finally {
    void worker.terminate();
  }
}
