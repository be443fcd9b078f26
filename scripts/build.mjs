// Bundles the CLI (and everything it reaches) into dist/ with esbuild. Dependencies are bundled too:
// resolving hundreds of small ES modules (chevrotain's lodash-es) at start-up cost more than the
// checks themselves. Only packages with native parts or dynamic loading stay external.
// The web console (console/) is bundled for the browser into dist/console/, which `kss serve`
// serves at /console (runtime/server/console-static.ts).
// Type checking is a separate step (`npm run typecheck`).
import { copyFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { yamlAsModules } from './yaml-as-modules.mjs';

rmSync('dist', { recursive: true, force: true });
await build({
  // The policy compiler's worker thread (runtime/server/compile-in-worker.ts) is an entry of its own.
  entryPoints: { 'cli/main': 'cli/main.ts', 'runtime/server/compile-worker': 'runtime/server/compile-worker.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['better-sqlite3', 'mysql2', 'mysql2/*', 'vscode-languageserver', 'vscode-languageserver/*'],
  alias: yamlAsModules,
  // Bundled CommonJS packages call require(); give the ES module output one.
  banner: { js: "import { createRequire as __kssCreateRequire } from 'node:module'; const require = __kssCreateRequire(import.meta.url);" },
  // One chunk per command: the CLI loads only the command it runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
});

await build({
  entryPoints: { app: 'console/src/main.tsx', 'app-style': 'console/src/app.css' },
  outdir: 'dist/console',
  entryNames: '[name]',
  bundle: true,
  platform: 'browser',
  target: ['chrome110', 'firefox115', 'safari16'],
  format: 'esm',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
for (const f of ['index.html', 'favicon.svg']) copyFileSync(`console/${f}`, `dist/console/${f}`);
