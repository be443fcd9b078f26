/** Issue 10 §5 over real HTTP: a store that refuses writes (SQLite's own "database or disk is full"). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { startServer, type RunningServer } from '../../runtime/server/app.js';
import { makeKeyserver, post, requestWithoutBody, type Keyserver } from './helpers.js';

let ks: Keyserver;
let srv: RunningServer;
const lines: Array<{ level: string; msg: string; fields: Record<string, unknown> }> = [];
beforeAll(async () => {
  ks = await makeKeyserver();
  srv = await startServer({ dataDir: ks.dir, port: 0, tz: 'UTC', pollMs: 50, logger: (level, msg, fields = {}) => lines.push({ level, msg, fields }) });
});
afterAll(async () => {
  await srv.close();
  ks.cleanup();
});

/** The server's own connection: a page limit there makes its writes fail as a full disk does. */
function serverDb(): Database.Database {
  return (srv.runtime!.store as unknown as { db: Database.Database }).db;
}

describe('failing well', () => {
  it('/healthz says degraded while decisions fail, ok again once one succeeds; one log line, not one per request', async () => {
    expect((await requestWithoutBody(srv.url, null, '/healthz')).status).toBe(200);
    const db = serverDb();
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    let status = 200;
    for (let i = 0; i < 400 && status === 200; i++) status = (await post(srv.url, ks.client, { request_type: 'rename', nonce: `pad-${'x'.repeat(100)}-${i}` })).status;
    expect(status).toBe(503);
    for (let i = 0; i < 30; i++) expect((await post(srv.url, ks.client, { request_type: 'rename' })).status).toBe(503);
    const health = await requestWithoutBody(srv.url, null, '/healthz');
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ status: 'degraded', decisions: 'failing', reason: expect.stringMatching(/full/) });
    expect(lines.filter((l) => l.msg === 'a decision failed')).toHaveLength(1);
    expect((await requestWithoutBody(srv.url, null, '/metrics')).text).toMatch(/^kss_decision_failures_total 3\d$/m);

    db.pragma('max_page_count = 1073741823');
    expect((await post(srv.url, ks.client, { request_type: 'rename' })).status).toBe(200);
    expect((await requestWithoutBody(srv.url, null, '/healthz')).json).toMatchObject({ status: 'ok' });
    expect(lines.some((l) => l.msg === 'decisions succeed again')).toBe(true);
  });
});
