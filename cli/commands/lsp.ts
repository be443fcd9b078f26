/** `kss lsp --stdio`: the language server over stdin/stdout (lsp/server.ts). */
import type { Command } from 'commander';
import { CliError, EXIT } from '../errors.js';

export function register(program: Command): void {
  program
    .command('lsp')
    .description('run the language server for editors (diagnostics, completion, hover, quick fixes, formatting)')
    .option('--stdio', 'talk JSON-RPC over stdin and stdout (the only transport)')
    .action(async (options: { stdio?: boolean }) => {
      if (!options.stdio) throw new CliError('`kss lsp` needs `--stdio`: editors start it as `kss lsp --stdio`', EXIT.usage);
      const { createStdioConnection } = await import('../../lsp/stdio.js');
      const { startServer } = await import('../../lsp/server.js');
      // A language server must outlive bad input: log, never die, on anything that escapes a handler.
      process.on('uncaughtException', (error) => process.stderr.write(`kss language server: ${error.stack ?? error.message}\n`));
      process.on('unhandledRejection', (error) => process.stderr.write(`kss language server: ${String(error)}\n`));
      startServer(createStdioConnection());
      // The server runs until the client sends `exit`; keep the CLI from returning an exit status first.
      await new Promise<never>(() => {});
    });
}
