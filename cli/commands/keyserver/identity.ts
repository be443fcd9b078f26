/** `keyserver create`, `save-backup-key`, `recovery-ingest-key`. */
import type { Command } from 'commander';
import { recoveryIngestKey, saveBackupKey } from '../../../runtime/admin/keyserver.js';
import { setUpKeyserver } from '../../../runtime/admin/setup.js';
import { checkNewInstanceDir, createInCluster } from '../../../runtime/cluster/create.js';
import { policyFilePath } from '../../../runtime/datadir/policy-file.js';
import { backupPaths, MIN_SHARES, MIN_THRESHOLD, readBackup, shareSettingsProblem, weakBackupProblem, type BackupTarget } from '../../../runtime/identity/backup-shares.js';
import { localKeyPath } from '../../../runtime/identity/local-key.js';
import { CliError, UsageError } from '../../errors.js';
import { existingSharePassphrase, newSharePassphrases } from './backup-passphrases.js';
import { actor, findKeyserver, guard, passphrase, storeArgs, target, withOpenStore, withStore, type StoreOpts } from './common.js';

export interface CreateOpts extends StoreOpts, BackupOpts {
  backupPath?: string;
}

interface BackupOpts {
  backupShares?: string;
  backupThreshold?: string;
  ignoreSecurityChecks?: boolean;
}

export function registerIdentity(ks: Command): void {
  creationOptions(withStore(ks.command('create').description("create the keyserver (signing key and id), load the data directory's keyserver.yml and enable it")))
    .action((o: CreateOpts) => createAndReport(o));

  shareOptions(withStore(ks.command('save-backup-key').argument('<path>', 'file to write').description('write a fresh backup key: one encrypted file, or a fresh set of share files')))
    .action(async (path: string, o: StoreOpts & BackupOpts) => {
      const backup = await backupTarget({ ...o, backupPath: path }, shareSettings({ ...o, backupPath: path }));
      const { identity, paths } = await withOpenStore(o, (store) => saveBackupKey(store, backup!, actor()));
      process.stdout.write(`${describeBackup(identity.id, paths, backup!)}\n`);
    });

  withStore(ks.command('recovery-ingest-key').argument('<paths...>', 'the backup key file, or at least the threshold of its share files').description('restore the keyserver identity (same id) into an empty data directory (each share asks for its own passphrase)'))
    .action(async (paths: string[], o: StoreOpts) => {
      const identity = await guard(async () => {
        if (!o.dbUri) return recoveryIngestKey(target(o), paths, existingSharePassphrase, actor());
        // Cluster: the database gets the public key, this instance's data directory the private one.
        return createInCluster({ dataDir: o.dataDir, dbUri: o.dbUri, actor: actor(), restore: await readBackup(paths, existingSharePassphrase) });
      });
      process.stdout.write(`Keyserver restored: ${identity.id}\n`);
    });
}

function shareOptions(cmd: Command): Command {
  return cmd
    .option('--backup-shares <n>', `split the backup key into N share files PATH.1 .. PATH.N, one per custodian (at least ${MIN_SHARES}), each under its own passphrase (KSS_BACKUP_PASSPHRASE_1 .. _N, or asked on a terminal)`)
    .option('--backup-threshold <m>', `how many shares restore the key (at least ${MIN_THRESHOLD})`)
    .option('--ignore-security-checks', `allow a single backup key file, fewer than ${MIN_SHARES} shares or a threshold under ${MIN_THRESHOLD}`);
}

/** The options `create` shares with `enable`, which creates a keyserver when given --backup-path. */
export function creationOptions(cmd: Command): Command {
  return shareOptions(cmd.option('--backup-path <path>', 'also write the private key, encrypted with a passphrase: to share files PATH.1 .. PATH.N with --backup-shares'));
}

interface ShareSettings {
  shares?: number;
  threshold?: number;
  /** Why the settings are below the security checks (let through by --ignore-security-checks), or null. */
  weak: string | null;
}

/** The share settings, checked before anything else is done. */
function shareSettings(o: CreateOpts): ShareSettings {
  const num = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : NaN);
  const shares = num(o.backupShares);
  const threshold = num(o.backupThreshold);
  if (o.backupPath === undefined && shares !== undefined) throw new UsageError('--backup-shares needs --backup-path (where to write the share files)');
  const problem = shareSettingsProblem(shares, threshold);
  if (problem) throw new UsageError(problem);
  const weak = o.backupPath === undefined ? null : weakBackupProblem(shares, threshold);
  if (weak && !o.ignoreSecurityChecks) throw new UsageError(`${weak}; pass --ignore-security-checks to accept it`);
  if (weak) process.stderr.write(`note: --ignore-security-checks: ${weak}\n`);
  return shares === undefined ? { weak } : { shares, threshold, weak };
}

/**
 * Where and how to write the backup: the passphrase (one per share file), after the security
 * checks (--ignore-security-checks lets weak settings or shares under one passphrase through,
 * with a note); undefined without --backup-path.
 */
async function backupTarget(o: CreateOpts, s: ShareSettings): Promise<BackupTarget | undefined> {
  if (o.backupPath === undefined) return void noteSecurityChecks(o);
  let pass: string | string[];
  let sameTwice: string | null = null;
  if (s.shares === undefined) pass = await passphrase(true);
  else {
    const chosen = await newSharePassphrases(backupPaths({ path: o.backupPath, shares: s.shares }));
    if (chosen.weak && !o.ignoreSecurityChecks) throw new UsageError(`${chosen.weak}; pass --ignore-security-checks to accept it`);
    if (chosen.weak) process.stderr.write(`note: --ignore-security-checks: ${chosen.weak}\n`);
    sameTwice = chosen.weak;
    pass = chosen.passphrases;
  }
  if (!s.weak && !sameTwice) noteSecurityChecks(o);
  return { path: o.backupPath, passphrase: pass, ...(s.shares === undefined ? {} : { shares: s.shares, threshold: s.threshold }) };
}

export function noteSecurityChecks(o: BackupOpts): void {
  if (o.ignoreSecurityChecks) process.stderr.write('note: nothing here is below the security checks, so --ignore-security-checks changes nothing\n');
}

function describeBackup(id: string, paths: string[], s: BackupTarget): string {
  if (s.shares === undefined) return `Backup key of ${id} written to ${paths[0]} (keep it and its passphrase apart)`;
  const own = Array.isArray(s.passphrase) && new Set(s.passphrase).size === s.passphrase.length;
  return `Backup key of ${id} split into ${s.shares} shares, any ${s.threshold} of which restore it: ${paths.join(', ')} (give each to its own custodian, ${own ? 'with its own passphrase' : 'and keep the passphrase apart'})`;
}

/** `create`, and `enable --backup-path` on a data directory without a keyserver. */
export async function createAndReport(o: CreateOpts): Promise<void> {
  // The settings are checked before anything else, the passphrases asked once the keyserver can be created.
  const settings = shareSettings(o);
  if (o.dbUri) await guard(async () => checkNewInstanceDir(o.dataDir));
  const existing = await findKeyserver(o);
  if (existing) throw new CliError(`a keyserver already exists in ${existing.location} (\`${existing.id}\`)`, 1);
  const backup = await backupTarget(o, settings);
  const { identity, policy } = await guard(() => setUpKeyserver({ dataDir: o.dataDir, dbUri: o.dbUri, actor: actor(), backup }));
  const out = [`Keyserver created: ${identity.id}`];
  if (backup) out.push(describeBackup(identity.id, backupPaths(backup), backup).replace(`Backup key of ${identity.id} `, 'Backup key '));
  const version = policy?.activation?.policy ?? policy?.unchanged;
  if (version) out.push(`Policy version ${version.version} loaded from ${policy!.kept ?? version.file} (sha256 ${version.sha256})`);
  out.push('Keyserver enabled');
  process.stdout.write(`${out.join('\n')}\n`);
  if (o.dbUri) process.stderr.write(`this instance's signing key is in ${localKeyPath(o.dataDir)} (the database holds the public key only); serve with \`kss serve --data-dir ${o.dataDir}\`\n`);
  if (!version) process.stderr.write(`no policy yet: write ${policyFilePath(o.dataDir)} and run \`kss keyserver policy --load ${storeArgs(o)}\` (until then every request is answered 503)\n`);
  process.stderr.write(`next: kss keyserver token create --role client ${storeArgs(o)}\n`);
}
