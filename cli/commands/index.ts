/**
 * Every command of the CLI, one file each, by name. Only the command being run is loaded (the
 * bundle is split per command), so `kss check` does not pay for the server's SQLite and MySQL code.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command) => void;
type Loader = () => Promise<{ register: RegisterCommand }>;

export const commandModules: Record<string, Loader> = {
  check: () => import('./check.js'),
  fmt: () => import('./fmt.js'),
  compile: () => import('./compile.js'),
  eval: () => import('./eval.js'),
  explain: () => import('./explain.js'),
  diff: () => import('./diff.js'),
  test: () => import('./test.js'),
  bench: () => import('./bench.js'),
  serve: () => import('./serve.js'),
  keyserver: () => import('./keyserver.js'),
  lsp: () => import('./lsp.js'),
  client: () => import('./client.js'),
};
