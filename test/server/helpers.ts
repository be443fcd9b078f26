/** Real keyservers in temp directories, started in-process on 127.0.0.1:0. */
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyserver, setEnabled } from '../../runtime/admin/keyserver.js';
import { loadPolicy } from '../../runtime/admin/policy.js';
import { createToken } from '../../runtime/admin/tokens.js';
import { startServer, type RunningServer } from '../../runtime/server/app.js';
import { openStore } from '../../runtime/store/open.js';
import type { KssStore } from '../../runtime/store/types.js';

export const PROFILE = '00112233445566778899aabbccddeeff';

export const THROTTLE_POLICY = `
decrypt:
  - - rule: per-profile-throttle-rule
      rule_id: daily
      per_day: 3
      persistent: true
search:
  - - rule: per-profile-throttle-rule
      rule_id: mem
      per_day: 2
rename:
  - - rule: approve-rule
`;

export interface Keyserver {
  dir: string;
  client: string;
  admin: string;
  /** A second connection, as the CLI would have. */
  withStore<T>(fn: (s: KssStore) => Promise<T>): Promise<T>;
  start(opts?: { tz?: string }): Promise<RunningServer>;
  cleanup(): void;
}

export async function makeKeyserver(policy = THROTTLE_POLICY): Promise<Keyserver> {
  const dir = mkdtempSync(join(tmpdir(), 'kss-server-'));
  await createKeyserver({ dataDir: dir }, 'test');
  const withStore = async <T>(fn: (s: KssStore) => Promise<T>): Promise<T> => {
    const s = await openStore({ dataDir: dir });
    try {
      return await fn(s);
    } finally {
      await s.close();
    }
  };
  const { client, admin } = await withStore(async (s) => {
    const r = await loadPolicy(s, policy, 'test.yml', 'test');
    if (!r.activation) throw new Error(`test policy refused: ${JSON.stringify(r.diagnostics)}`);
    await setEnabled(s, true, 'test');
    return { client: (await createToken(s, 'client', 'c', 'test')).token, admin: (await createToken(s, 'admin', 'a', 'test')).token };
  });
  return {
    dir, client, admin, withStore,
    start: (o = {}) => startServer({ dataDir: dir, port: 0, tz: o.tz ?? 'UTC', logger: () => {}, pollMs: 50 }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function decrypt(profileId = PROFILE, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { request_type: 'decrypt', profile: { profile_id: profileId }, ...extra };
}

export async function post(url: string, token: string | null, body: unknown, path = '/v1/requests', method = 'POST') {
  return send(url + path, method, token, typeof body === 'string' ? body : JSON.stringify(body));
}

/** A request without a body: GET unless `method` says otherwise (DELETE, POST to enable...). */
export async function requestWithoutBody(url: string, token: string | null, path: string, method = 'GET') {
  return send(url + path, method, token);
}

/** One HTTP exchange; `json` is null for answers that are not JSON (metrics). */
async function send(url: string, method: string, token: string | null, body?: string) {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

/** Polls until `check` passes or the time is up (for changes the server notices by polling). */
export async function eventually(check: () => Promise<boolean>, ms = 1000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if (await check()) return true;
    } catch {
      // A keep-alive connection the server closed while a synchronous CLI call held this process: again.
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

/** What a test file started: `stopLive` (in afterEach) closes the server and removes the keyserver. */
export interface Live {
  ks: Keyserver | null;
  srv: RunningServer | null;
}

export async function stopLive(live: Live): Promise<void> {
  await live.srv?.close();
  live.ks?.cleanup();
  live.ks = live.srv = null;
}

/** One keyserver with its running server for a whole test file: started before its tests, stopped after. */
export function keyserverForFile(): { ks: Keyserver; srv: RunningServer } {
  const held = {} as { ks: Keyserver; srv: RunningServer };
  beforeAll(async () => {
    held.ks = await makeKeyserver();
    held.srv = await held.ks.start();
  });
  afterAll(async () => {
    await held.srv?.close();
    held.ks?.cleanup();
  });
  return held;
}
