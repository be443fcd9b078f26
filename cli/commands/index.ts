/** Every command of the CLI, one file each. Add a command by adding its module here. */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;

export const commandModules: Array<() => Promise<{ register: RegisterCommand }>> = [
  // One line per command module, e.g. () => import('./check.js'),
  // serve and keyserver are registered once compiler/compile.ts and runtime/evaluator/index.ts exist.
  () => import('./fmt.js'),
];
