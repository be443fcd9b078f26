/** Runs the reference's Python (python-oracle.py) once for a whole batch of questions. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type OracleRequest = { op: 'search' | 'path'; p: string; i: boolean; s: string[] } | { op: 'lower'; s: string[] };
export type OracleAnswer = { ok: boolean; error?: string; m: boolean[] } & { l: string[] };

const script = fileURLToPath(new URL('./python-oracle.py', import.meta.url));

export function askPython(requests: OracleRequest[]): OracleAnswer[] {
  const run = spawnSync('python3', [script], {
    input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n',
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.error) {
    throw new Error(`python3 is required for the differential tests (the reference is Python 3.11) but could not run: ${run.error.message}`);
  }
  if (run.status !== 0) throw new Error(`python-oracle.py failed (exit ${run.status}):\n${run.stderr}`);
  const answers = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as OracleAnswer);
  if (answers.length !== requests.length) throw new Error(`python-oracle.py answered ${answers.length} of ${requests.length} requests`);
  return answers;
}

export function pythonVersion(): string {
  const run = spawnSync('python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) {
    throw new Error('python3 is required for the differential tests (the reference is Python 3.11) but is not installed or does not run');
  }
  return run.stdout.trim();
}
