/**
 * One long-lived python3 process running reference_model.py, asked one job at a time (a line out,
 * a line back), so a whole test run costs one interpreter start and fast-check can still shrink.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** KSS_ORACLE_MODEL swaps in a variant of the model (to keep fuzzing past a known difference). */
export const MODEL_PATH = process.env.KSS_ORACLE_MODEL ?? fileURLToPath(new URL('./reference_model.py', import.meta.url));
const PYTHON = process.env.KSS_ORACLE_PYTHON ?? 'python3';

export interface OracleJob {
  policy: Record<string, unknown>;
  tz: string;
  steps: Array<{ at: string; request: unknown }>;
}

export interface OracleDecision {
  approved: boolean;
  rule_set: number | null;
}

export type OracleAnswer =
  | { rule_ids: Record<string, string[][]>; decisions: OracleDecision[] }
  | { error: string }
  | { crash: string };

export class PythonOracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private stderr = '';
  private readonly waiting: Array<{ resolve: (a: OracleAnswer) => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;

  constructor() {
    this.child = spawn(PYTHON, ['-X', 'utf8', MODEL_PATH], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    // Python prints FutureWarnings for some regexes; keep the tail for error messages only.
    this.child.stderr.on('data', (chunk: string) => { this.stderr = (this.stderr + chunk).slice(-4000); });
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      this.fail(error.code === 'ENOENT'
        ? new Error(`the differential oracle needs \`${PYTHON}\` (Python 3.9+) on PATH; install python3 or set KSS_ORACLE_PYTHON`)
        : new Error(`could not run ${PYTHON} ${MODEL_PATH}: ${error.message}`));
    });
    this.child.on('exit', (code, signal) => {
      this.fail(new Error(`the Python model exited (code ${code}, signal ${signal}); stderr: ${this.stderr}`));
    });
  }

  ask(job: OracleJob): Promise<OracleAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(JSON.stringify(job) + '\n');
    });
  }

  close(): void {
    this.child.removeAllListeners('exit');
    this.child.stdin.end();
    if (this.child.exitCode === null) this.child.kill();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      this.waiting.shift()?.resolve(JSON.parse(line) as OracleAnswer);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}
