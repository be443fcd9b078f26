/**
 * The backup key as M of N share files: any M restore the same keyserver, fewer are refused with a
 * clear message, shares of two sets do not mix; the CLI refuses weak settings unless
 * --ignore-security-checks. Real files, real CLI processes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateIdentity } from '../../runtime/identity/keys.js';
import { readBackup, writeBackup } from '../../runtime/identity/backup-shares.js';
import { BackupError } from '../../runtime/identity/backup.js';
import { KSS } from '../server/cli-helpers.js';
import { kss, PASSPHRASE } from './support.js';
import { onTerminal } from './terminal.js';

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

  it('each share under its own passphrase: each is asked for by its index; a wrong one names its share', async () => {
    const own = [1, 2, 3, 4, 5].map((i) => `passphrase of custodian ${i}`);
    const paths = await writeBackup({ path: join(dir, 'own'), passphrase: own, shares: 5, threshold: 3 }, identity);
    const asked: number[] = [];
    const restored = await readBackup([paths[4]!, paths[0]!, paths[2]!], async (share) => {
      asked.push(share!.index);
      return own[share!.index - 1]!;
    });
    expect(restored.id).toBe(identity.id);
    expect(asked).toEqual([5, 1, 3]);
    await expect(readBackup([paths[0]!, paths[1]!, paths[2]!], async (share) => (share!.index === 2 ? own[0]! : own[share!.index - 1]!))).rejects.toThrow(`wrong passphrase for share 2 (\`${paths[1]}\`), or the file was modified`);
    await expect(writeBackup({ path: join(dir, 'short'), passphrase: own.slice(1), shares: 5, threshold: 3 }, identity)).rejects.toThrow('5 passphrases are needed, one per file; 4 were given');
  });

  it('the CLI: one passphrase for every share is below the security checks; such sets still restore; each share is read with its own', async () => {
    const single = { KSS_BACKUP_PASSPHRASE: PASS };
    const args = (d: string, extra: string[] = []) => ['keyserver', 'create', '--data-dir', join(dir, d), '--backup-path', join(dir, `${d}.key`), '--backup-shares', '5', '--backup-threshold', '3', ...extra];
    const refused = await kss(args('one'), single);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('all 5 shares would have the same passphrase; give each custodian a passphrase of their own (KSS_BACKUP_PASSPHRASE_1 .. KSS_BACKUP_PASSPHRASE_5, or the prompts on a terminal); pass --ignore-security-checks to accept it');
    expect(existsSync(join(dir, 'one', 'kss.db'))).toBe(false);
    const twice = await kss(args('twice'), { ...PASSPHRASE, KSS_BACKUP_PASSPHRASE_4: PASSPHRASE.KSS_BACKUP_PASSPHRASE_2! });
    expect(twice.stderr).toContain('shares 2 and 4 would have the same passphrase');
    const accepted = await kss(args('one', ['--ignore-security-checks']), single);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stderr).toMatch(/^note: --ignore-security-checks: all 5 shares would have the same passphrase/);
    expect(accepted.stdout).toContain('(give each to its own custodian, and keep the passphrase apart)');
    // A set written under one passphrase (also as older kss wrote every set) restores with it.
    const old = await kss(['keyserver', 'recovery-ingest-key', join(dir, 'one.key.1'), join(dir, 'one.key.2'), join(dir, 'one.key.4'), '--data-dir', join(dir, 'one-restored')], single);
    expect(old.code, old.stderr).toBe(0);

    const created = await kss(args('own'), PASSPHRASE);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('(give each to its own custodian, with its own passphrase)');
    const only = (...i: number[]) => Object.fromEntries(i.map((n) => [`KSS_BACKUP_PASSPHRASE_${n}`, PASSPHRASE[`KSS_BACKUP_PASSPHRASE_${n}`]!]));
    const missing = await kss(['keyserver', 'recovery-ingest-key', join(dir, 'own.key.1'), join(dir, 'own.key.3'), join(dir, 'own.key.5'), '--data-dir', join(dir, 'own-r1')], only(1, 3));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`share 5 (\`${join(dir, 'own.key.5')}\`) needs its passphrase: set KSS_BACKUP_PASSPHRASE_5 (or KSS_BACKUP_PASSPHRASE for a set written under one passphrase) or run on a terminal to be asked`);
    const wrong = await kss(['keyserver', 'recovery-ingest-key', join(dir, 'own.key.1'), join(dir, 'own.key.3'), join(dir, 'own.key.5'), '--data-dir', join(dir, 'own-r2')], { ...only(1, 5), KSS_BACKUP_PASSPHRASE_3: 'not the third' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(`kss: wrong passphrase for share 3 (\`${join(dir, 'own.key.3')}\`), or the file was modified\n`);
    expect(existsSync(join(dir, 'own-r2', 'kss.db'))).toBe(false);
    // A share is known by the index it records, whatever its custodian named the file.
    copyFileSync(join(dir, 'own.key.3'), join(dir, 'custodian-c.json'));
    const ok = await kss(['keyserver', 'recovery-ingest-key', join(dir, 'own.key.5'), join(dir, 'custodian-c.json'), join(dir, 'own.key.1'), '--data-dir', join(dir, 'own-r3')], only(1, 3, 5));
    expect(ok.code, ok.stderr).toBe(0);
  }, 120_000);

  it('on a terminal, kss asks each share\'s passphrase in turn (twice when writing), and each share\'s when restoring', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KSS_BACKUP_PASSPHRASE')));
    const key = join(dir, 'tty.key');
    const writing = [1, 2, 3, 4, 5].flatMap((i): Array<[string, string]> => [[`Passphrase of share ${i} of 5 (${key}.${i}), for its custodian: `, `typed passphrase ${i}`], ['Repeat passphrase: ', `typed passphrase ${i}`]]);
    const created = onTerminal([process.execPath, KSS, 'keyserver', 'create', '--data-dir', join(dir, 'tty'), '--backup-path', key, '--backup-shares', '5', '--backup-threshold', '3'], writing, env);
    expect(created.code, created.shown).toBe(0);
    expect(created.unanswered).toBe(0);
    expect(created.shown).toContain('with its own passphrase');
    expect(created.shown).not.toContain('typed passphrase');
    const reading: Array<[string, string]> = [2, 4, 5].map((i) => [`Passphrase of share ${i} of 5 (${key}.${i}): `, `typed passphrase ${i}`]);
    const restored = onTerminal([process.execPath, KSS, 'keyserver', 'recovery-ingest-key', `${key}.2`, `${key}.4`, `${key}.5`, '--data-dir', join(dir, 'tty-restored')], reading, env);
    expect(restored.code, restored.shown).toBe(0);
    expect(restored.shown).toMatch(/Keyserver restored: ks_[0-9a-f]{32}/);
  }, 60_000);

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
