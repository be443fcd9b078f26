/** `keyserver create`, `save-backup-key`, `recovery-ingest-key`. */
import type { Command } from 'commander';
import { recoveryIngestKey, saveBackupKey } from '../../../runtime/admin/keyserver.js';
import { setUpKeyserver } from '../../../runtime/admin/setup.js';
import { checkNewInstanceDir, createInCluster } from '../../../runtime/cluster/create.js';
import { policyFilePath } from '../../../runtime/datadir/policy-file.js';
import { readBackupFile } from '../../../runtime/identity/backup.js';
import { localKeyPath } from '../../../runtime/identity/local-key.js';
import { CliError } from '../../errors.js';
import { actor, findKeyserver, guard, passphrase, storeArgs, target, withOpenStore, withStore, type StoreOpts } from './common.js';

export interface CreateOpts extends StoreOpts {
  backupPath?: string;
  ignoreSecurityChecks?: boolean;
}

export function registerIdentity(ks: Command): void {
  creationOptions(withStore(ks.command('create').description("create the keyserver (signing key and id), load the data directory's keyserver.yml and enable it")))
    .action((o: CreateOpts) => createAndReport(o));

  withStore(ks.command('save-backup-key').argument('<path>', 'file to write').description('write a new encrypted backup key file'))
    .action(async (path: string, o: StoreOpts) => {
      const pass = await passphrase(true);
      const identity = await withOpenStore(o, (store) => saveBackupKey(store, path, pass, actor()));
      process.stdout.write(`Backup key of ${identity.id} written to ${path}\n`);
    });

  withStore(ks.command('recovery-ingest-key').argument('<path>', 'backup key file').description('restore the keyserver identity (same id) into an empty data directory'))
    .action(async (path: string, o: StoreOpts) => {
      const pass = await passphrase(false);
      const identity = await guard(async () => {
        if (!o.dbUri) return recoveryIngestKey(target(o), path, pass, actor());
        // Cluster: the database gets the public key, this instance's data directory the private one.
        return createInCluster({ dataDir: o.dataDir, dbUri: o.dbUri, actor: actor(), restore: readBackupFile(path, pass) });
      });
      process.stdout.write(`Keyserver restored: ${identity.id}\n`);
    });
}

/** The options `create` shares with `enable`, which creates a keyserver when given --backup-path. */
export function creationOptions(cmd: Command): Command {
  return cmd
    .option('--backup-path <path>', 'also write the private key to this file, encrypted with a passphrase')
    .option('--ignore-security-checks', 'accepted as the vendor documentation writes it; kss makes no security check here, so it changes nothing');
}

export function noteSecurityChecks(o: CreateOpts): void {
  if (o.ignoreSecurityChecks) process.stderr.write('note: no security check applies here, so --ignore-security-checks changes nothing\n');
}

/** `create`, and `enable --backup-path` on a data directory without a keyserver. */
export async function createAndReport(o: CreateOpts): Promise<void> {
  noteSecurityChecks(o);
  if (o.dbUri) await guard(async () => checkNewInstanceDir(o.dataDir));
  const existing = await findKeyserver(o);
  if (existing) throw new CliError(`a keyserver already exists in ${existing.location} (\`${existing.id}\`)`, 1);
  const backup = o.backupPath ? { path: o.backupPath, passphrase: await passphrase(true) } : undefined;
  const { identity, policy } = await guard(() => setUpKeyserver({ dataDir: o.dataDir, dbUri: o.dbUri, actor: actor(), backup }));
  const out = [`Keyserver created: ${identity.id}`];
  if (backup) out.push(`Backup key written to ${backup.path} (keep it and its passphrase apart)`);
  const version = policy?.activation?.policy ?? policy?.unchanged;
  if (version) out.push(`Policy version ${version.version} loaded from ${policy!.kept ?? version.file} (sha256 ${version.sha256})`);
  out.push('Keyserver enabled');
  process.stdout.write(`${out.join('\n')}\n`);
  if (o.dbUri) process.stderr.write(`this instance's signing key is in ${localKeyPath(o.dataDir)} (the database holds the public key only); serve with \`kss serve --data-dir ${o.dataDir}\`\n`);
  if (!version) process.stderr.write(`no policy yet: write ${policyFilePath(o.dataDir)} and run \`kss keyserver policy --load ${storeArgs(o)}\` (until then every request is answered 503)\n`);
  process.stderr.write(`next: kss keyserver token create --role client ${storeArgs(o)}\n`);
}
