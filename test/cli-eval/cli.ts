/** Runs the built CLI (dist/, rebuilt by the global setup) as a real process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_DIR } from '../support/shared.js';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function kss(args: string[], input?: string, cwd = REPO_DIR): Run {
  const r = spawnSync(process.execPath, [join(REPO_DIR, 'bin', 'kss.js'), ...args], { cwd, input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh folder with the given files. */
export function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kss-cli-eval-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
