// Writes docs/openapi.json from the server's route table (runtime/server/openapi.ts), the document
// `GET /v1/openapi.json` serves. Run: node scripts/openapi.mjs
// (test/server/openapi.test.ts fails when the checked-in file is stale.)
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the repository, so that the bundle's external packages resolve from node_modules.
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const out = mkdtempSync(join(root, 'node_modules/.cache/kss-openapi-'));
try {
  // The TypeScript sources bundled for this one run: Node 20 does not read TypeScript.
  await build({
    entryPoints: [join(root, 'runtime/server/openapi.ts')], outfile: join(out, 'openapi.mjs'), bundle: true, platform: 'node', format: 'esm',
    packages: 'external', logLevel: 'warning',
  });
  const { openApiDocument } = await import(pathToFileURL(join(out, 'openapi.mjs')).href);
  writeFileSync(join(root, 'docs/openapi.json'), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  console.log('wrote docs/openapi.json');
} finally {
  rmSync(out, { recursive: true, force: true });
}
