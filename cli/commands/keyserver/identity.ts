/** `keyserver create`, `save-backup-key`, `recovery-ingest-key`. */
import type { Command } from 'commander';
import { recoveryIngestKey, saveBackupKey } from '../../../runtime/admin/keyserver.js';
import { setUpKeyserver } from '../../../runtime/admin/setup.js';
import { checkNewInstanceDir, createInCluster } from '../../../runtime/cluster/create.js';
import { policyFilePath } from '../../../runtime/datadir/policy-file.js';
import { backupPaths, MIN_SHARES, MIN_THRESHOLD, readBackup, shareSettingsProblem, weakBackupProblem } from '../../../runtime/identity/backup-shares.js';
import { localKeyPath } from '../../../runtime/identity/local-key.js';
import { CliError, UsageError } from '../../errors.js';
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
      const settings = backupSettings({ ...o, backupPath: path });
      const pass = await passphrase(true);
      const { identity, paths } = await withOpenStore(o, (store) => saveBackupKey(store, { path, passphrase: pass, ...settings }, actor()));
      process.stdout.write(`${describeBackup(identity.id, paths, settings)}\n`);
    });

  withStore(ks.command('recovery-ingest-key').argument('<paths...>', 'the backup key file, or at least the threshold of its share files').description('restore the keyserver identity (same id) into an empty data directory'))
    .action(async (paths: string[], o: StoreOpts) => {
      const pass = await passphrase(false);
      const identity = await guard(async () => {
        if (!o.dbUri) return recoveryIngestKey(target(o), paths, pass, actor());
        // Cluster: the database gets the public key, this instance's data directory the private one.
        return createInCluster({ dataDir: o.dataDir, dbUri: o.dbUri, actor: actor(), restore: await readBackup(paths, pass) });
      });
      process.stdout.write(`Keyserver restored: ${identity.id}\n`);
    });
}

function shareOptions(cmd: Command): Command {
  return cmd
    .option('--backup-shares <n>', `split the backup key into N share files PATH.1 .. PATH.N, one per custodian (at least ${MIN_SHARES})`)
    .option('--backup-threshold <m>', `how many shares restore the key (at least ${MIN_THRESHOLD})`)
    .option('--ignore-security-checks', `allow a single backup key file, fewer than ${MIN_SHARES} shares or a threshold under ${MIN_THRESHOLD}`);
}

/** The options `create` shares with `enable`, which creates a keyserver when given --backup-path. */
export function creationOptions(cmd: Command): Command {
  return shareOptions(cmd.option('--backup-path <path>', 'also write the private key, encrypted with a passphrase: to share files PATH.1 .. PATH.N with --backup-shares'));
}

/** The share settings, after the security checks (--ignore-security-checks lets weak ones through, with a note). */
function backupSettings(o: CreateOpts): { shares?: number; threshold?: number } {
  const num = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : NaN);
  const shares = num(o.backupShares);
  const threshold = num(o.backupThreshold);
  if (o.backupPath === undefined && shares !== undefined) throw new UsageError('--backup-shares needs --backup-path (where to write the share files)');
  const problem = shareSettingsProblem(shares, threshold);
  if (problem) throw new UsageError(problem);
  const weak = o.backupPath === undefined ? null : weakBackupProblem(shares, threshold);
  if (weak && !o.ignoreSecurityChecks) throw new UsageError(`${weak}; pass --ignore-security-checks to accept it`);
  if (weak) process.stderr.write(`note: --ignore-security-checks: ${weak}\n`);
  else noteSecurityChecks(o);
  return shares === undefined ? {} : { shares, threshold };
}

export function noteSecurityChecks(o: BackupOpts): void {
  if (o.ignoreSecurityChecks) process.stderr.write('note: nothing here is below the security checks, so --ignore-security-checks changes nothing\n');
}

function describeBackup(id: string, paths: string[], s: { shares?: number; threshold?: number }): string {
  if (s.shares === undefined) return `Backup key of ${id} written to ${paths[0]} (keep it and its passphrase apart)`;
  return `Backup key of ${id} split into ${s.shares} shares, any ${s.threshold} of which restore it: ${paths.join(', ')} (give each to its own custodian; keep the passphrase apart)`;
}

/** `create`, and `enable --backup-path` on a data directory without a keyserver. */
export async function createAndReport(o: CreateOpts): Promise<void> {
  const settings = backupSettings(o);
  if (o.dbUri) await guard(async () => checkNewInstanceDir(o.dataDir));
  const existing = await findKeyserver(o);
  if (existing) throw new CliError(`a keyserver already exists in ${existing.location} (\`${existing.id}\`)`, 1);
  const backup = o.backupPath ? { path: o.backupPath, passphrase: await passphrase(true), ...settings } : undefined;
  const { identity, policy } = await guard(() => setUpKeyserver({ dataDir: o.dataDir, dbUri: o.dbUri, actor: actor(), backup }));
  const out = [`Keyserver created: ${identity.id}`];
  if (backup) out.push(describeBackup(identity.id, backupPaths(backup), settings).replace(`Backup key of ${identity.id} `, 'Backup key '));
  const version = policy?.activation?.policy ?? policy?.unchanged;
  if (version) out.push(`Policy version ${version.version} loaded from ${policy!.kept ?? version.file} (sha256 ${version.sha256})`);
  out.push('Keyserver enabled');
  process.stdout.write(`${out.join('\n')}\n`);
  if (o.dbUri) process.stderr.write(`this instance's signing key is in ${localKeyPath(o.dataDir)} (the database holds the public key only); serve with \`kss serve --data-dir ${o.dataDir}\`\n`);
  if (!version) process.stderr.write(`no policy yet: write ${policyFilePath(o.dataDir)} and run \`kss keyserver policy --load ${storeArgs(o)}\` (until then every request is answered 503)\n`);
  process.stderr.write(`next: kss keyserver token create --role client ${storeArgs(o)}\n`);
}
