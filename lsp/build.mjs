// Bundles the language server into one self-contained CommonJS file (no node_modules needed at run
// time): the VS Code extension ships it, and the end-to-end tests spawn it with `node`.
// Usage: node lsp/build.mjs [outfile]   (default dist/lsp/server.cjs)
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { yamlAsModules } from '../scripts/yaml-as-modules.mjs';

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
    alias: yamlAsModules,
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildServer(process.argv[2]);
}
