/** `kss keyserver ...`: create and administer the keyserver. One file per group in keyserver/. */
import type { Command } from 'commander';
import { registerIdentity } from './keyserver/identity.js';
import { registerAdmin } from './keyserver/admin.js';
import { registerQuota } from './keyserver/quota.js';
import { registerToken } from './keyserver/token.js';
import { registerAudit } from './keyserver/audit.js';
import { registerCluster } from './keyserver/cluster-commands.js';

export function register(program: Command): void {
  const ks = program.command('keyserver').description('create and administer the keyserver (data in --data-dir, default ./.kss)');
  for (const r of [registerIdentity, registerAdmin, registerQuota, registerToken, registerAudit, registerCluster]) r(ks);
}
