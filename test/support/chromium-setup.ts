/**
 * vitest global setup: the console's browser tests (test/console/browser.test.ts) drive Debian's
 * `chromium` with playwright-core. When it is missing it installs the package (as root, with
 * apt-get), as mariadb-setup.ts does for MariaDB. The path goes to the workers in KSS_CHROMIUM;
 * when chromium cannot be had, KSS_CHROMIUM_PROBLEM says why and the browser tests fail with it.
 */
import { spawnSync } from 'node:child_process';
import { aptInstall } from './apt.js';

const CANDIDATES = ['chromium', 'chromium-browser'];

function find(): string | null {
  for (const name of CANDIDATES) {
    const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

export function setup(): void {
  if (process.env.KSS_CHROMIUM) return;
  let path = find();
  if (!path && aptInstall(['chromium'])) path = find();
  if (path) {
    process.env.KSS_CHROMIUM = path;
    return;
  }
  process.env.KSS_CHROMIUM_PROBLEM = 'chromium is missing and `apt-get install chromium` failed (it needs root and the Debian archive); install it, or set KSS_CHROMIUM to a Chromium binary';
  process.stderr.write(`chromium-setup: ${process.env.KSS_CHROMIUM_PROBLEM}; the console's browser tests will fail\n`);
}
