/**
 * Cluster-mode subcommands of `kss keyserver` (initialize, clone-db, instance list). Registered
 * after ./keyserver.js, onto the command it created; the commands live in keyserver/cluster-commands.ts.
 */
import type { Command } from 'commander';
import { registerCluster } from './keyserver/cluster-commands.js';

export function register(program: Command): void {
  const ks = program.commands.find((c) => c.name() === 'keyserver');
  if (!ks) throw new Error('keyserver-cluster.js must come after keyserver.js in cli/commands/index.ts');
  registerCluster(ks);
}
