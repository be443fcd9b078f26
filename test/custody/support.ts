/** A keyserver in a temp data directory, `kss serve` and `kss client` as real processes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kss, kssOk, serve, type KssResult, type Served } from '../cluster/support/kss.js';

/** One passphrase per backup share file (KSS_BACKUP_PASSPHRASE_1 .. _5), as each custodian has their own. */
export const PASSPHRASE = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`KSS_BACKUP_PASSPHRASE_${i}`, `custody test passphrase ${i}`]));

export interface Site {
  root: string;
  dataDir: string;
  token: string;
  keyserverId: string;
  server: Served;
}

/** Creates a SQLite keyserver with `policy` (and its backup key as 3-of-5 shares `backup.key.1..5`), a client token, and serves it. */
export async function site(policy: string, serveArgs: string[] = []): Promise<Site> {
  const root = mkdtempSync(join(tmpdir(), 'kss-custody-'));
  const dataDir = join(root, 'data');
  writeFileSync(join(root, 'keyserver.yml'), policy);
  await kssOk(['keyserver', 'create', '--data-dir', dataDir, '--backup-path', join(root, 'backup.key'), '--backup-shares', '5', '--backup-threshold', '3'], PASSPHRASE);
  await kssOk(['keyserver', 'policy', '--load', join(root, 'keyserver.yml'), '--data-dir', dataDir]);
  await kssOk(['keyserver', 'enable', '--data-dir', dataDir]);
  const token = (await kssOk(['keyserver', 'token', 'create', '--role', 'client', '--data-dir', dataDir])).trim();
  const server = await serve(['--data-dir', dataDir, ...serveArgs]);
  const keyserverId = ((await (await fetch(`${server.url}/v1/status`)).json()) as { keyserver_id: string }).keyserver_id;
  return { root, dataDir, token, keyserverId, server };
}

export function client(args: string[]): Promise<KssResult> {
  return kss(['client', ...args]);
}

export async function onboardIn(s: Site, profileDir: string, extra: string[] = []): Promise<string> {
  const r = await client(['onboard', '--keyserver', s.server.url, '--keyserver-id', s.keyserverId, '--token', s.token, '--profile-dir', profileDir, ...extra]);
  if (r.code !== 0) throw new Error(`onboard failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export { kss, kssOk, serve };
