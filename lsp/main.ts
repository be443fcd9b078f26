/**
 * Entry point of the bundled language server (`node server.cjs --stdio`), used by the VS Code extension
 * and the end-to-end tests. `kss lsp --stdio` starts the same server from the CLI.
 */
import { startServer } from './server.js';
import { createStdioConnection } from './stdio.js';

if (!process.argv.includes('--stdio')) {
  process.stderr.write('usage: node server.cjs --stdio   (the kss language server; editors start it this way)\n');
  process.exit(2);
}

// A language server must outlive bad input: log, never die, on anything that escapes a handler.
process.on('uncaughtException', (error) => process.stderr.write(`kss language server: ${error.stack ?? error.message}\n`));
process.on('unhandledRejection', (error) => process.stderr.write(`kss language server: ${String(error)}\n`));

startServer(createStdioConnection());
