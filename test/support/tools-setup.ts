/**
 * vitest global setup: the administrator's guide (docs/admin-guide.md, run by test/guide/) uses
 * `curl` and `jq` as an administrator's shell would. When one is missing it installs Debian's
 * package (as root, with apt-get), as python-setup.ts does for python-dateutil; if that is
 * impossible the guide's test fails saying which command was not found.
 */
import { spawnSync } from 'node:child_process';
import { aptInstall } from './apt.js';

const TOOLS = ['curl', 'jq'];

export function setup(): void {
  const missing = TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  if (!aptInstall(missing)) {
    process.stderr.write(`tools-setup: ${missing.join(' and ')} missing and could not be installed; the administrator's guide test will fail\n`);
  }
}
