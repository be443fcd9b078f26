// Bundles the CLI (and everything it reaches) into dist/ with esbuild: fast, and the result needs
// only node_modules at run time. Type checking is a separate step (`npm run typecheck`).
import { build } from 'esbuild';

await build({
  entryPoints: { 'cli/main': 'cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  // One chunk per command: the CLI loads only the command it runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
});
