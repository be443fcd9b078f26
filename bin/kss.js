#!/usr/bin/env node
// Launcher for the kss CLI. The TypeScript sources are bundled into dist/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('kss: the CLI is not built yet; run `npm run build` (or `npm ci`) in the kss folder\n');
  process.exit(2);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv);
