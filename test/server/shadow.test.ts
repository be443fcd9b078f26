/** Shadow policies over real HTTP and a real SQLite data directory: decided beside the active one, disagreements counted and audited, promote and drop. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tailAudit } from '../../runtime/admin/audit.js';
import { kss } from './cli-helpers.js';
import { decrypt, eventually, makeKeyserver, post, requestWithoutBody, stopLive, type Live } from './helpers.js';

const live: Live = { ks: null, srv: null };
afterEach(() => stopLive(live));

const ACTIVE = 'decrypt:\n  - - rule: per-profile-throttle-rule\n      rule_id: daily\n      per_day: 2\n      persistent: true\n';
// The shadow approves from rule set 1 without a throttle: it disagrees once the active throttle is at its limit.
const SHADOW = 'decrypt:\n  - - rule: reject-rule\n  - - rule: approve-rule\n';
const metric = async (url: string, result: string) => Number(new RegExp(`kss_shadow_decisions_total\\{result="${result}"\\} (\\d+)`).exec((await requestWithoutBody(url, null, '/metrics')).text)?.[1]);

describe('shadow policy', () => {
  it('runs beside the active policy without touching its counters; disagreements in /metrics and the audit; promote activates it', async () => {
    const ks = (live.ks = await makeKeyserver(ACTIVE));
    const srv = (live.srv = await ks.start());
    const dd = ['--data-dir', ks.dir];
    const file = join(ks.dir, 'shadow.yml');
    writeFileSync(file, SHADOW);
    const started = kss(['keyserver', 'policy', '--load', file, '--shadow', '--tz', 'UTC', ...dd]);
    expect(started.status).toBe(0);
    expect(started.stdout).toContain('shadow policy running');
    expect(await eventually(async () => srv.runtime!.shadow.running !== null, 10_000)).toBe(true);

    // Active: approved, approved (daily at 2), denied, denied. Shadow: rule set 1 every time.
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await post(srv.url, ks.client, decrypt())).json);
    expect(answers.map((a) => [a.approved, a.rule_set])).toEqual([[true, 0], [true, 0], [false, null], [false, null]]);
    expect(await metric(srv.url, 'disagree')).toBe(4); // rule set 1 vs 0, then approved vs denied
    expect(await metric(srv.url, 'agree')).toBe(0);
    const quota = (await requestWithoutBody(srv.url, ks.admin, '/v1/quota')).json.entries;
    expect(quota.map((q: { rule_id: string; day_count: number }) => [q.rule_id, q.day_count])).toEqual([['daily', 2]]);
    const entries = (await ks.withStore((s) => tailAudit(s, 50))).filter((e) => e.kind === 'decision');
    expect(entries.at(-1)!.data.shadow).toMatchObject({ approved: true, rule_set: 1 });
    expect(entries.at(-1)!.data.approved).toBe(false);

    const promoted = kss(['keyserver', 'policy', '--promote', '--tz', 'UTC', ...dd]);
    expect(promoted.stdout).toContain('shadow policy promoted');
    expect(promoted.stdout).toContain('policy version 2 active');
    expect(await eventually(async () => (await post(srv.url, ks.client, decrypt())).json.rule_set === 1, 10_000)).toBe(true);
    expect(await eventually(async () => srv.runtime!.shadow.running === null, 10_000)).toBe(true);
    expect(kss(['keyserver', 'policy', '--promote', ...dd]).stderr).toContain('no shadow policy is running');
  });

  it('--drop-shadow ends it: decisions are no longer compared', async () => {
    const ks = (live.ks = await makeKeyserver(ACTIVE));
    const srv = (live.srv = await ks.start());
    const file = join(ks.dir, 'shadow.yml');
    writeFileSync(file, SHADOW);
    kss(['keyserver', 'policy', '--load', file, '--shadow', '--data-dir', ks.dir]);
    expect(await eventually(async () => srv.runtime!.shadow.running !== null, 10_000)).toBe(true);
    await post(srv.url, ks.client, decrypt());
    const dropped = kss(['keyserver', 'policy', '--drop-shadow', '--data-dir', ks.dir]);
    expect(dropped.stdout).toContain('shadow policy dropped');
    expect(await eventually(async () => srv.runtime!.shadow.running === null, 10_000)).toBe(true);
    await post(srv.url, ks.client, decrypt());
    expect(await metric(srv.url, 'disagree')).toBe(1);
    const bad = join(ks.dir, 'bad.yml');
    writeFileSync(bad, 'decrypt:\n  - - rule: nope\n');
    const refused = kss(['keyserver', 'policy', '--load', bad, '--shadow', '--data-dir', ks.dir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('has errors; no shadow was started');
    expect(kss(['keyserver', 'policy', '--shadow', '--data-dir', ks.dir]).status).toBe(2);
  });
});
