/** Installs Debian packages the test run needs (as root, with apt-get); false when it cannot. */
import { execFileSync } from 'node:child_process';

export function aptInstall(packages: string[]): boolean {
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'ignore', env });
    return true;
  } catch {
    return false;
  }
}
