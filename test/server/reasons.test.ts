/** Why a request was denied: in the admin's answer, the audit entry and `kss keyserver audit`; codes for clients only with --client-reasons. */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../runtime/server/app.js';
import { tailAudit } from '../../runtime/admin/audit.js';
import { kss } from './cli-helpers.js';
import { makeKeyserver, post, PROFILE, stopLive, type Keyserver, type Live } from './helpers.js';

// The window excludes today and tomorrow (UTC), so it is closed whenever the test runs.
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const POLICY = `
decrypt:
  - - rule: meta-rule
      rule_id: finance-paths
      paths: [/finance]
  - - rule: time-range-rule
      rule_id: office
      exclude: [${day(0)}, ${day(1)}]
  - - rule: profile-id-rule
      rule_id: admins
      profile_ids: [ffeeddccbbaa99887766554433221100]
  - - rule: per-profile-throttle-rule
      rule_id: once
      per_day: 1
`;
const live: Live = { ks: null, srv: null };
afterEach(() => stopLive(live));

const hr = { request_type: 'decrypt', profile: { profile_id: PROFILE }, auth_meta: [{ meta: 'hr/x.pdf', complete: true }] };
const start = (k: Keyserver, clientReasons = false) => startServer({ dataDir: k.dir, port: 0, tz: 'UTC', logger: () => {}, pollMs: 50, clientReasons });

describe('denial reasons', () => {
  it('an admin token gets, per rule set, the rule that stopped it and why; a client gets nothing more by default', async () => {
    const ks = (live.ks = await makeKeyserver(POLICY));
    const srv = (live.srv = await start(ks));
    // The throttle's one use goes first, then every rule set stops.
    expect((await post(srv.url, ks.client, hr)).json).toMatchObject({ approved: true, rule_set: 3 });
    const admin = (await post(srv.url, ks.admin, hr)).json;
    expect(admin.approved).toBe(false);
    expect(admin.reasons.map((r: { rule_set: number; rule_id: string; code: string }) => [r.rule_set, r.rule_id, r.code])).toEqual([
      [0, 'finance-paths', 'path-not-matched'],
      [1, 'office', 'outside-hours'],
      [2, 'admins', 'profile-not-listed'],
      [3, 'once', 'throttle-at-limit'],
    ]);
    expect(admin.reasons[0].reason).toBe('not every meta of `hr/x.pdf` is allowed');
    const client = (await post(srv.url, ks.client, hr)).json;
    expect(client.approved).toBe(false);
    expect(client).not.toHaveProperty('reasons');
    expect(client).not.toHaveProperty('reason_codes');
  });

  it('the audit entry keeps the reasons and `kss keyserver audit` prints them; approvals carry none', async () => {
    const ks = (live.ks = await makeKeyserver(POLICY));
    const srv = (live.srv = await start(ks));
    const ok = await post(srv.url, ks.client, { ...hr, auth_meta: [{ meta: 'finance/a', complete: true }] });
    expect(ok.json).toMatchObject({ approved: true, rule_set: 0 });
    expect(ok.json).not.toHaveProperty('reasons');
    const denied = await post(srv.url, ks.client, { request_type: 'decrypt', auth_meta: [{ meta: 'hr/x', complete: true }] });
    expect(denied.json.approved).toBe(false);
    await srv.close();
    live.srv = null;
    const entries = await ks.withStore((s) => tailAudit(s, 10));
    const decisions = entries.filter((e) => e.kind === 'decision');
    expect(decisions[0]!.data).not.toHaveProperty('reasons');
    const codes = (decisions[1]!.data.reasons as { code: string }[]).map((r) => r.code);
    expect(codes[0]).toBe('path-not-matched');
    expect(codes.at(-1)).toBe('no-profile-id'); // no profile id: the throttle cannot count
    const out = kss(['keyserver', 'audit', '--data-dir', ks.dir]);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('denied by rule set 0: meta-rule finance-paths: not every meta of `hr/x` is allowed [path-not-matched]');
    expect(out.stdout).toContain('denied by rule set 3: per-profile-throttle-rule once: the request has no profile id: cannot count [no-profile-id]');
  });

  it('with --client-reasons a client gets the stable codes only (no rule ids, no words)', async () => {
    const ks = (live.ks = await makeKeyserver('decrypt:\n  - - rule: meta-rule\n      paths: [/finance]\n  - - rule: reject-rule\n'));
    const srv = (live.srv = await start(ks, true));
    const client = (await post(srv.url, ks.client, hr)).json;
    expect(client.reason_codes).toEqual(['path-not-matched', 'reject-rule']);
    expect(client).not.toHaveProperty('reasons');
    const none = (await post(srv.url, ks.client, { ...hr, request_type: 'rename' })).json;
    expect(none.reason_codes).toEqual(['no-rule-set']);
  });
});
