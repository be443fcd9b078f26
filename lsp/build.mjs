// Bundles the language server into one self-contained CommonJS file (no node_modules needed at run
// time): the VS Code extension ships it, and the end-to-end tests spawn it with `node`.
// Usage: node lsp/build.mjs [outfile]   (default dist/lsp/server.cjs)
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The yaml package's parser reads `process.env.LOG_TOKENS` for every token and its composer
 * `LOG_STREAM` for every document (debug output): an environment lookup is a call into C++ each
 * time, about a tenth of a parse (issue 15's profile). The server never logs them: read as false.
 */
const noYamlDebugLogs = {
  name: 'no-yaml-debug-logs',
  setup(b) {
    b.onLoad({ filter: /[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: source.replace(/node_process\.env\.LOG_(TOKENS|STREAM)/g, 'false'), loader: 'js' };
    });
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));

export async function buildServer(outfile = 'dist/lsp/server.cjs') {
  await build({
    absWorkingDir: root,
    entryPoints: ['lsp/main.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // CommonJS: vscode-languageserver is CommonJS and requires Node built-ins, which an ESM bundle cannot.
    format: 'cjs',
    sourcemap: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [noYamlDebugLogs],
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildServer(process.argv[2]);
}
