// For the bundles (scripts/build.mjs, lsp/build.mjs): the yaml package as its ES-module build.
//
// Under the `node` condition the package resolves to its CommonJS build, and esbuild reaches a
// CommonJS module's exports from ES-module code through a getter per named import (`__toESM`), so
// every `isMap(node)` of the compiler is a getter call before the function (among the top entries of
// issue 15's profile of a cold format; bundled as below, the first format of a 5,000-line policy in
// the language server took a quarter less, bench/README.md). The package's ES-module build (its `browser`
// folder, the same sources compiled the other way, without the `process` lookups its debug logging
// makes per token and per document) is bundled as plain functions instead.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const yamlDir = dirname(createRequire(import.meta.url).resolve('yaml/package.json'));

/** esbuild's `alias` option: `import ... from 'yaml'` bundles the package's ES modules. */
export const yamlAsModules = { yaml: join(yamlDir, 'browser', 'index.js') };
