/** `keyserver create`, `save-backup-key`, `recovery-ingest-key`. */
import type { Command } from 'commander';
import { createKeyserver, recoveryIngestKey, saveBackupKey } from '../../../runtime/admin/keyserver.js';
import { createInCluster } from '../../../runtime/cluster/create.js';
import { readBackupFile } from '../../../runtime/identity/backup.js';
import { localKeyPath } from '../../../runtime/identity/local-key.js';
import { actor, guard, passphrase, target, withOpenStore, withStore, type StoreOpts } from './common.js';

export function registerIdentity(ks: Command): void {
  withStore(ks.command('create').description('create the keyserver: a signing key pair and its id'))
    .option('--backup-path <path>', 'also write the private key to this file, encrypted with a passphrase')
    .action(async (o: StoreOpts & { backupPath?: string }) => {
      const backup = o.backupPath ? { path: o.backupPath, passphrase: await passphrase(true) } : undefined;
      const identity = await guard(() =>
        o.dbUri ? createInCluster({ dataDir: o.dataDir, dbUri: o.dbUri, actor: actor(), backup }) : createKeyserver(target(o), actor(), backup),
      );
      process.stdout.write(`Keyserver created: ${identity.id}\n`);
      if (o.dbUri) process.stderr.write(`this instance's signing key is in ${localKeyPath(o.dataDir)} (the database holds the public key only); serve with \`kss serve --data-dir ${o.dataDir}\`\n`);
      if (backup) process.stdout.write(`Backup key written to ${backup.path} (keep it and its passphrase apart)\n`);
      const dir = o.dbUri ? `--db-uri ${o.dbUri.replace(/password=[^,]*/, 'password=…').replace(/\/\/([^:@/]+):[^@]*@/, '//$1:…@')}` : `--data-dir ${o.dataDir}`;
      process.stderr.write(`next: kss keyserver policy --load FILE ${dir}; kss keyserver enable ${dir}; kss keyserver token create --role client ${dir}\n`);
    });

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
