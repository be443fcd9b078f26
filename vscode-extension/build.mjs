// Builds the extension: the client (dist/extension.js, CommonJS, `vscode` external), the language
// server bundled from ../lsp (dist/server.cjs, self-contained), the policy JSON Schema (for the YAML
// extension's validation) and the diagnostic documentation pages linked from each diagnostic.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../lsp/build.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

rmSync(`${here}dist`, { recursive: true, force: true });
await build({
  absWorkingDir: here,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  legalComments: 'none',
  logLevel: 'warning',
});
await buildServer(`${here}dist/server.cjs`);

mkdirSync(`${here}schemas`, { recursive: true });
cpSync(`${repo}schemas/keyserver.schema.json`, `${here}schemas/keyserver.schema.json`);
rmSync(`${here}docs`, { recursive: true, force: true });
mkdirSync(`${here}docs/diagnostics`, { recursive: true });
if (existsSync(`${repo}docs/diagnostics`)) cpSync(`${repo}docs/diagnostics`, `${here}docs/diagnostics`, { recursive: true });
