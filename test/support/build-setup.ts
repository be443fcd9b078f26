/** vitest global setup: rebuilds dist/ (esbuild, about a second) so process-level tests run the current code. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_DIR } from './shared.js';

export function setup(): void {
  execFileSync(process.execPath, [join(REPO_DIR, 'scripts', 'build.mjs')], { cwd: REPO_DIR, stdio: 'inherit' });
}
