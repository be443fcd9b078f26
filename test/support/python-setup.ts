/**
 * vitest global setup: the differential tests compare kss with the reference's own building blocks
 * (Python's `re`, `json`, `str.lower`, and python-dateutil's time parser). When the `python3` on PATH
 * cannot import dateutil, it installs Debian's python3-dateutil (as root, with apt-get) and puts
 * Debian's python3 first on PATH for the test workers. If that is impossible the tests that need
 * Python fail saying what is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall } from './apt.js';

function hasDateutil(python: string): boolean {
  return spawnSync(python, ['-c', 'import dateutil.parser'], { stdio: 'ignore' }).status === 0;
}

export function setup(): void {
  if (hasDateutil('python3')) return;
  if (!hasDateutil('/usr/bin/python3')) {
    if (!aptInstall(['python3', 'python3-dateutil'])) {
      process.stderr.write('python-setup: python3 with python-dateutil is missing and could not be installed; the differential tests will fail\n');
      return;
    }
  }
  const bin = mkdtempSync(join(tmpdir(), 'kss-python-'));
  symlinkSync('/usr/bin/python3', join(bin, 'python3'));
  process.env.PATH = `${bin}:${process.env.PATH ?? ''}`;
}
