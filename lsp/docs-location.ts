/**
 * Where the per-code documentation pages (`docs/diagnostics/<CODE>.md`) are, for the link on each
 * diagnostic. The VS Code extension ships them and passes their URL in `initializationOptions`;
 * `kss lsp` run from a checkout finds them beside the installed package.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PUBLIC_DOCS_BASE = 'https://kss.invalid/docs/diagnostics/';

export function defaultDocsBase(): string {
  const fromEnv = process.env['KSS_DOCS_BASE'];
  if (fromEnv) return fromEnv.endsWith('/') ? fromEnv : `${fromEnv}/`;
  let dir = process.argv[1] ? dirname(resolve(process.argv[1])) : process.cwd();
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'docs', 'diagnostics');
    if (existsSync(candidate)) return `${pathToFileURL(candidate).toString()}/`;
    dir = dirname(dir);
  }
  return PUBLIC_DOCS_BASE;
}
