/** Cluster mode: `keyserver initialize`, `clone-db`, `instance list|remove`. Logic in runtime/cluster/. */
import type { Command } from 'commander';
import { cloneToMysql } from '../../../runtime/cluster/clone.js';
import { joinCluster } from '../../../runtime/cluster/join.js';
import { formatInstances, listInstanceStatus, removeInstance } from '../../../runtime/cluster/instances.js';
import { DEFAULT_DATA_DIR } from '../../../runtime/store/open.js';
import { existingSharePassphrase } from './backup-passphrases.js';
import { actor, formatOption, guard, withOpenStore, withStore, type OutputFormat, type StoreOpts } from './common.js';

export function registerCluster(ks: Command): void {
  ks.command('initialize')
    .description('join this machine to a cluster: prove possession of the backup key, then serve from the shared database')
    .requiredOption('--db-uri <uri>', 'the cluster database (`mysql:host=H,port=P,user=U,password=W,database=D` or `mysql://U:W@H:P/D`; password may come from KSS_DB_PASSWORD)')
    .requiredOption('--backup-key <paths...>', "the keyserver's backup key file, or at least the threshold of its share files (each share's passphrase from KSS_BACKUP_PASSPHRASE_i, KSS_BACKUP_PASSPHRASE or a prompt)")
    .option('--data-dir <dir>', 'data directory of this instance', DEFAULT_DATA_DIR)
    .action(async (o: { dbUri: string; backupKey: string[]; dataDir: string }) => {
      const joined = await guard(() => joinCluster({ dataDir: o.dataDir, dbUri: o.dbUri, backupKeyPaths: o.backupKey, passphrase: existingSharePassphrase, actor: actor() }));
      process.stdout.write(`Keyshard server initialized\n`);
      process.stderr.write(`keyserver ${joined.keyserverId} on ${joined.location}; start this instance with \`kss serve --data-dir ${o.dataDir}\`\n`);
    });

  ks.command('clone-db')
    .argument('<new-uri>', 'an empty MySQL/MariaDB database (`mysql:host=H,...` or `mysql://U:W@H:P/D`)')
    .description('move this keyserver (identity, policies, quotas, tokens, audit log) from its SQLite file into MySQL and switch to cluster mode')
    .option('--data-dir <dir>', 'data directory of the keyserver', DEFAULT_DATA_DIR)
    .action(async (uri: string, o: { dataDir: string }) => {
      const r = await guard(() => cloneToMysql(o.dataDir, uri, actor()));
      process.stdout.write(
        `Keyserver ${r.keyserverId} moved to ${r.target}: ${r.policyVersions} policy versions, ${r.quotaCounters} quota counters, ` +
          `${r.tokens} tokens, ${r.auditEntries} audit entries\n` +
          `\`${o.dataDir}\` now uses the cluster database; join more machines with \`kss keyserver initialize --db-uri URI --backup-key PATH\`\n`,
      );
    });

  const instance = ks.command('instance').description('the instances of a cluster');
  formatOption(withStore(instance.command('list').description('every instance with its host, kss version, policy version, last heartbeat and Online/Offline')))
    .action(async (o: StoreOpts & { format: OutputFormat }) => {
      const list = await guard(() => withOpenStore(o, (store) => listInstanceStatus(store)));
      process.stdout.write(formatInstances(list, o.format));
    });

  withStore(instance.command('remove').argument('<id>', 'instance id from `instance list`, or a unique start of it').description('forget an instance that is gone (Offline)'))
    .option('--force', 'also forget an Online instance (it adds itself again at its next heartbeat unless stopped)')
    .action(async (id: string, o: StoreOpts & { force?: boolean }) => {
      const removed = await withOpenStore(o, (store) => removeInstance(store, id, { force: !!o.force, actor: actor() }));
      process.stdout.write(`Instance ${removed.id} (${removed.host}, ${removed.status}) removed\n`);
    });
}
