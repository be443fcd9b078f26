/**
 * A real `kss serve` (SQLite data directory made with the CLI) and a real Chromium page on its
 * console, for the browser tests. Screenshots go to test-artifacts/console/ (gitignored).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { kss, ROOT, serve, type ServeProcess } from '../server/cli-helpers.js';

export const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');
export const PROFILE = '00112233445566778899aabbccddeeff';

/**
 * Public files for anyone, at most 2 an hour per profile: three requests put a profile at quota.
 * Renames under /public are approved without a quota (the overview's chart is fed with them).
 */
export const POLICY = `rename:
  - - rule: meta-rule
      paths: [/public]
decrypt:
  - - rule: meta-rule
      paths: [/public]
    - rule: per-profile-throttle-rule
      rule_id: public-hourly
      per_hour: 2
      persistent: true
`;

export interface Session {
  server: ServeProcess;
  dir: string;
  admin: string;
  client: string;
  browser: Browser;
  page: Page;
  /** Errors the page logged (a CSP violation is one). */
  pageErrors: string[];
  close(): Promise<void>;
}

function token(dir: string, role: string): string {
  const r = kss(['keyserver', 'token', 'create', '--role', role, '--data-dir', dir]);
  if (r.status !== 0) throw new Error(`token create failed: ${r.stderr}`);
  return r.stdout.trim();
}

export function chromiumPath(): string {
  const path = process.env.KSS_CHROMIUM;
  if (!path) throw new Error(`the console's browser tests need Chromium: ${process.env.KSS_CHROMIUM_PROBLEM ?? 'KSS_CHROMIUM is not set (test/support/chromium-setup.ts did not run)'}`);
  return path;
}

export async function openSession(): Promise<Session> {
  const executablePath = chromiumPath();
  const dir = mkdtempSync(join(tmpdir(), 'kss-console-'));
  writeFileSync(join(dir, 'keyserver.yml'), POLICY);
  const created = kss(['keyserver', 'create', '--data-dir', dir]);
  if (created.status !== 0) throw new Error(`keyserver create failed: ${created.stderr}`);
  const admin = token(dir, 'admin');
  const client = token(dir, 'client');
  const server = await serve(dir);
  // Root in a container: Chromium's sandbox needs user namespaces it may not have.
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const pageErrors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    server, dir, admin, client, browser, page, pageErrors,
    close: async () => {
      await browser.close();
      server.child.kill('SIGTERM');
      await server.exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function decide(s: Session, profileId = PROFILE, type = 'decrypt', meta = 'public/a.pdf'): Promise<{ status: number; body: { approved?: boolean } }> {
  const res = await fetch(`${s.server.url}/v1/requests`, {
    method: 'POST', headers: { authorization: `Bearer ${s.client}`, 'content-type': 'application/json' },
    body: JSON.stringify({ request_type: type, profile: { profile_id: profileId }, auth_meta: [{ meta, complete: true }] }),
  });
  return { status: res.status, body: (await res.json()) as { approved?: boolean } };
}

export async function adminGet(s: Session, path: string): Promise<any> {
  const res = await fetch(`${s.server.url}${path}`, { headers: { authorization: `Bearer ${s.admin}` } });
  return res.json();
}

/** A screenshot of the page (the whole page, or what the window shows when `fullPage` is false). */
export function shot(page: Page, name: string, fullPage = true): Promise<Buffer> {
  return page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}
