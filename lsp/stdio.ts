/**
 * The language server's stdio transport, shared by the bundled entry (main.ts) and `kss lsp --stdio`:
 * framing that survives hostile frames (frames.ts), and the process ends when the client closes stdin.
 */
import { ProposedFeatures, StreamMessageWriter, createConnection } from 'vscode-languageserver/node';
import type { Connection } from 'vscode-languageserver/node';
import { TolerantMessageReader } from './frames.js';

export function createStdioConnection(): Connection {
  const reader = new TolerantMessageReader(process.stdin, (line) => process.stderr.write(`kss language server: ${line}\n`));
  const connection = createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
  // With a reader of its own, vscode-languageserver no longer watches stdin; an editor that goes away
  // without `exit` must not leave the server running. Exit 0 only after a `shutdown`, as LSP asks.
  reader.onClose(() => process.exit(reader.shutdownRequested ? 0 : 1));
  return connection;
}
