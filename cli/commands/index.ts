/** Every command of the CLI, one file each. Add a command by adding its module here. */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const commandModules: Array<() => Promise<{ register: RegisterCommand }>> = [
  // One line per command module, e.g. () => import('./check.js'),
  () => import('./serve.js'),
  () => import('./keyserver.js'),
  () => import('./fmt.js'),
  () => import('./lsp.js'),
  () => import('./check.js'),
  () => import('./eval.js'),
  () => import('./explain.js'),
  () => import('./compile.js'),
  () => import('./test.js'),
  () => import('./bench.js'),
];
