/**
 * The backup key as M of N share files: any M restore the same keyserver, fewer are refused with a
 * clear message, shares of two sets do not mix; the CLI refuses weak settings unless
 * --ignore-security-checks. Real files, real CLI processes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity } from '../../runtime/identity/keys.js';
import { readBackup, writeBackup } from '../../runtime/identity/backup-shares.js';
import { BackupError } from '../../runtime/identity/backup.js';
import { kss, PASSPHRASE } from './support.js';

const PASS = 'a long enough passphrase';

describe('backup key shares', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kss-shares-'));
  const identity = generateIdentity();
  let set = 0;

  it('any threshold of the shares restores the identity; fewer are refused (property over subsets)', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 6 }), fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), async (n, tRaw, order) => {
      const t = Math.min(tRaw, n);
      const path = join(dir, `set${set++}`);
      const paths = await writeBackup({ path, passphrase: PASS, shares: n, threshold: t }, identity);
      expect(paths).toEqual(Array.from({ length: n }, (_, i) => `${path}.${i + 1}`));
      // A random choice of t distinct shares, in a random order.
      const chosen = [...paths].sort((a, b) => order[paths.indexOf(a)]! - order[paths.indexOf(b)]!).slice(0, t);
      const restored = await readBackup(chosen, PASS);
      expect({ id: restored.id, privateKey: restored.privateKey }).toEqual({ id: identity.id, privateKey: identity.privateKey });
      if (t > 1) await expect(readBackup(chosen.slice(1), PASS)).rejects.toThrow(new RegExp(`^${t} of the ${n} shares are needed to restore keyserver`));
    }), { numRuns: 5 });
  }, 60_000);

  it('refuses mixed sets, a share given twice, a wrong passphrase and an existing file', async () => {
    const a = await writeBackup({ path: join(dir, 'a'), passphrase: PASS, shares: 5, threshold: 3 }, identity);
    const b = await writeBackup({ path: join(dir, 'b'), passphrase: PASS, shares: 5, threshold: 3 }, identity);
    await expect(readBackup([a[0]!, a[1]!, b[2]!], PASS)).rejects.toThrow('belongs to another set of shares');
    await expect(readBackup([a[0]!, a[0]!, a[1]!], PASS)).rejects.toThrow('the same share was given twice');
    await expect(readBackup([a[0]!, a[1]!, a[2]!], 'not the passphrase')).rejects.toThrow(BackupError);
    await expect(writeBackup({ path: join(dir, 'a'), passphrase: PASS, shares: 5, threshold: 3 }, identity)).rejects.toThrow(/`.*a\.1` already exists/);
    // Each share alone holds no key material in the clear.
    for (const p of a) expect(readFileSync(p, 'utf8')).not.toContain(identity.privateKey!.slice(20, 60));
  });

  it('the CLI refuses a single file, fewer than 5 shares or a threshold under 3 unless --ignore-security-checks', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /a single backup key file is one point of loss and of theft \(split it with --backup-shares 5 --backup-threshold 3\); pass --ignore-security-checks to accept it/],
      [['--backup-shares', '4', '--backup-threshold', '3'], /4 shares with a threshold of 3 is below 5 shares with a threshold of 3; pass --ignore-security-checks/],
      [['--backup-shares', '5', '--backup-threshold', '2'], /5 shares with a threshold of 2 is below/],
      [['--backup-shares', '5', '--backup-threshold', '6'], /--backup-threshold must be a whole number from 2 to --backup-shares/],
      [['--backup-shares', '5'], /--backup-shares and --backup-threshold go together/],
    ];
    for (const [extra, message] of cases) {
      const d = join(dir, `cli-${set++}`);
      const r = await kss(['keyserver', 'create', '--data-dir', d, '--backup-path', join(d, 'bk'), ...extra], PASSPHRASE);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(existsSync(join(d, 'kss.db'))).toBe(false);
    }
    const d = join(dir, 'cli-weak');
    const ok = await kss(['keyserver', 'create', '--data-dir', d, '--backup-path', join(dir, 'weak'), '--backup-shares', '3', '--backup-threshold', '2', '--ignore-security-checks'], PASSPHRASE);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/^note: --ignore-security-checks: 3 shares with a threshold of 2 is below 5 shares with a threshold of 3\n/);
    expect(ok.stdout).toMatch(/Backup key split into 3 shares, any 2 of which restore it: \S+weak\.1, \S+weak\.2, \S+weak\.3 /);
    const fresh = await kss(['keyserver', 'save-backup-key', join(dir, 'fresh'), '--backup-shares', '5', '--backup-threshold', '3', '--data-dir', d], PASSPHRASE);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stdout).toMatch(/^Backup key of ks_[0-9a-f]{32} split into 5 shares, any 3 of which restore it: /);
    const restored = await kss(['keyserver', 'recovery-ingest-key', join(dir, 'fresh.2'), join(dir, 'fresh.3'), join(dir, 'fresh.5'), '--data-dir', join(dir, 'cli-restored')], PASSPHRASE);
    expect(restored.code, restored.stderr).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
