/** `kss keyserver ...`: create and administer the keyserver. One file per group in keyserver/. */
import type { Command } from 'commander';
import { registerIdentity } from './keyserver/identity.js';
import { registerAdmin } from './keyserver/admin.js';
import { registerQuota } from './keyserver/quota.js';
import { registerToken } from './keyserver/token.js';
import { registerAudit } from './keyserver/audit.js';
import { registerCluster } from './keyserver/cluster-commands.js';
import { registerProfile } from './keyserver/profile.js';
import { KeyserverCommand } from './keyserver/usage.js';

export function register(program: Command): void {
  // addCommand does not pass the program's settings on (exit override, help) as command() does.
  const ks = new KeyserverCommand('keyserver').copyInheritedSettings(program).description('create and administer the keyserver (data in --data-dir, default ./.kss)');
  program.addCommand(ks);
  for (const r of [registerIdentity, registerAdmin, registerQuota, registerToken, registerAudit, registerCluster, registerProfile]) r(ks);
}
