/**
 * `GET /console/...`: the web console's files (console/, bundled into dist/console/ by
 * scripts/build.mjs), read once and served from memory. Only the files the build wrote are
 * served: a path is looked up by name, never joined onto the file system.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_PATH = '/console';

/**
 * Scripts, styles and requests from this origin only; nothing inline, no frames, no forms posted
 * elsewhere. The console never needs anything from another host (it works offline).
 */
export const CONSOLE_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "font-src 'self'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.map': 'application/json; charset=utf-8',
};

export interface StaticAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** dist/console beside this module: dist/cli/ and dist/chunks/ when bundled, runtime/server/ from source. */
function consoleDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, '..', 'console'), join(here, '..', '..', 'dist', 'console')]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

let files: Map<string, Buffer> | null = null;

function loadFiles(): Map<string, Buffer> {
  if (files) return files;
  const dir = consoleDir();
  files = new Map();
  if (dir) for (const name of readdirSync(dir)) if (TYPES[extname(name)]) files.set(name, readFileSync(join(dir, name)));
  return files;
}

export function isConsolePath(pathname: string): boolean {
  return pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`);
}

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY', 'cross-origin-opener-policy': 'same-origin', 'cache-control': 'no-cache',
};

/** The answer for a GET under /console (`/console` itself redirects to `/console/`, so relative URLs work). */
export function consoleAsset(pathname: string): StaticAnswer {
  if (pathname === CONSOLE_PATH) return { status: 308, headers: { location: `${CONSOLE_PATH}/` }, body: '' };
  const name = pathname.slice(CONSOLE_PATH.length + 1) || 'index.html';
  const all = loadFiles();
  if (all.size === 0) return text(404, 'the console is not built: run `npm run build` (it writes dist/console/)');
  const body = all.get(name);
  if (!body) return text(404, `no such console file \`${name}\``);
  return { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': TYPES[extname(name)]! }, body };
}

function text(status: number, message: string): StaticAnswer {
  return { status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, body: `${message}\n` };
}
