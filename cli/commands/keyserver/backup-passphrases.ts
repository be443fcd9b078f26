/**
 * The passphrases of backup share files: each share has its own, so that each custodian knows
 * only theirs and M custodians are needed together, not M files and one shared secret. For
 * scripts and tests, share i's passphrase is `KSS_BACKUP_PASSPHRASE_i` (i as the share file
 * records it, whatever the file is called now); on a terminal kss asks for each share in turn.
 * `KSS_BACKUP_PASSPHRASE` stands in for a share without its own variable: it reads sets written
 * under one passphrase (as kss wrote them before), and writing a set with it for every share is
 * below the security checks (`--ignore-security-checks`).
 */
import { UsageError } from '../../errors.js';
import type { ShareRef } from '../../../runtime/identity/backup-shares.js';
import { askPassphrase, passphrase } from './common.js';

const COMMON = 'KSS_BACKUP_PASSPHRASE';
const shareEnv = (i: number) => `${COMMON}_${i}`;

function fromEnv(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The passphrase of each new share file `paths[i]` (share i + 1), and why they fall below the
 * security checks (two shares under the same passphrase), or null.
 */
export async function newSharePassphrases(paths: string[]): Promise<{ passphrases: string[]; weak: string | null }> {
  const n = paths.length;
  const out: string[] = [];
  for (const [i, path] of paths.entries()) {
    const env = fromEnv(shareEnv(i + 1)) ?? fromEnv(COMMON);
    if (env !== undefined) out.push(env);
    else if (process.stdin.isTTY) out.push(await askPassphrase(`Passphrase of share ${i + 1} of ${n} (${path}), for its custodian: `, true));
    else throw new UsageError(`share ${i + 1} needs a passphrase of its own: set ${shareEnv(1)} .. ${shareEnv(n)} (one per custodian) or run on a terminal to be asked`);
  }
  const twice = out.findIndex((p, i) => out.indexOf(p) !== i);
  if (twice === -1) return { passphrases: out, weak: null };
  const own = `give each custodian a passphrase of their own (${shareEnv(1)} .. ${shareEnv(n)}, or the prompts on a terminal)`;
  const weak = new Set(out).size === 1 ? `all ${n} shares would have the same passphrase; ${own}` : `shares ${out.indexOf(out[twice]!) + 1} and ${twice + 1} would have the same passphrase; ${own}`;
  return { passphrases: out, weak };
}

/** The passphrase of a share file being read (or of a whole backup file, `share` null). */
export function existingSharePassphrase(share: ShareRef | null): Promise<string> {
  if (share === null) return passphrase(false);
  const env = fromEnv(shareEnv(share.index)) ?? fromEnv(COMMON);
  if (env !== undefined) return Promise.resolve(env);
  if (!process.stdin.isTTY) {
    return Promise.reject(new UsageError(`share ${share.index} (\`${share.path}\`) needs its passphrase: set ${shareEnv(share.index)} (or ${COMMON} for a set written under one passphrase) or run on a terminal to be asked`));
  }
  return askPassphrase(`Passphrase of share ${share.index} of ${share.shares} (${share.path}): `, false);
}
