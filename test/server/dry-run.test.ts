/** `policy --load FILE --dry-run` over a real SQLite data directory whose audit log a real server wrote over HTTP. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dryRun } from '../../runtime/admin/dry-run.js';
import { serverZone } from '../../runtime/admin/policy.js';
import { parseZone } from '../../runtime/time/index.js';
import { kss } from './cli-helpers.js';
import { makeKeyserver, post, stopLive, type Live } from './helpers.js';

const live: Live = { ks: null, srv: null };
afterEach(() => stopLive(live));

const A = '00112233445566778899aabbccddeeff';
const B = 'ffeeddccbbaa99887766554433221100';
const ACTIVE = `decrypt:\n  - - rule: profile-id-rule\n      profile_ids: [${A}, ${B}]\n    - rule: per-profile-throttle-rule\n      rule_id: reads\n      per_hour: 100\n      persistent: true\n`;
// B is no longer listed, and the throttle's rule_id changes (its counters would be reset).
const CANDIDATE = `decrypt:\n  - - rule: profile-id-rule\n      profile_ids: [${A}]\n    - rule: per-profile-throttle-rule\n      rule_id: reads-v2\n      per_hour: 100\n`;
// The candidate stops finance/secret; only a request's auth_meta can show the difference.
const META_ACTIVE = 'decrypt:\n  - - rule: meta-rule\n      paths: ["/finance"]\n';
const META_CANDIDATE = 'decrypt:\n  - - rule: meta-rule\n      paths: ["!/finance/secret", "/finance"]\n';
const meta = (m: string) => ({
  request_type: 'decrypt', device_id: '9f2c01', cryptographic_id: '77ab02',
  profile: { profile_id: A, profile_words: ['alpha', 'beta'] }, auth_meta: [{ meta: m, complete: true }],
});
const ask = (p: string) => ({ request_type: 'decrypt', profile: { profile_id: p } });

describe('policy --load FILE --dry-run', () => {
  it('replays the recent decisions through the candidate, counts and shows the ones that would change, activates nothing', async () => {
    const ks = (live.ks = await makeKeyserver(ACTIVE));
    const srv = (live.srv = await ks.start());
    for (const p of [A, B, A, B, B]) expect((await post(srv.url, ks.client, ask(p))).json.approved).toBe(true);
    await srv.close();
    live.srv = null;
    const file = join(ks.dir, 'candidate.yml');
    writeFileSync(file, CANDIDATE);

    const r = await ks.withStore((s) => dryRun(s, CANDIDATE, file, { last: 10_000, examples: 2, zoneInfo: serverZone('UTC'), zone: parseZone('UTC') }));
    expect(r.counters).toEqual({ kept: [], reset: ['reads'] });
    expect(r.replay).toMatchObject({ total: 5, replayed: 5, not_replayable: 0, changed: 3 });
    expect(r.replay.examples).toHaveLength(2);
    expect(r.replay.examples[0]).toMatchObject({ request: ask(B), old: { approved: true, rule_set: 0 }, new: { approved: false, rule_set: null } });
    expect(r.replay.examples[0]!.new.reasons!.map((x) => x.code)).toEqual(['profile-not-listed']);
    // Only the last 2: A then B (B would change)
    const last2 = await ks.withStore((s) => dryRun(s, CANDIDATE, file, { last: 2, examples: 5, zoneInfo: serverZone('UTC'), zone: parseZone('UTC') }));
    expect(last2.replay).toMatchObject({ total: 2, changed: 2 });

    const cli = kss(['keyserver', 'policy', '--load', file, '--dry-run', '--tz', 'UTC', '--data-dir', ks.dir]);
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain('against active version 1; nothing was activated');
    expect(cli.stdout).toContain('quota counters reset (rule_id no longer in the policy): reads');
    expect(cli.stdout).toContain('3 of the last 5 decisions would change');
    expect(cli.stdout).toContain(`decrypt from ${B}: was approved by rule set 0, would be denied`);
    expect(cli.stdout).toContain(`the profile \`${B}\` is not listed [profile-not-listed]`);
    const versions = JSON.parse(kss(['keyserver', 'policy', 'list', '--format', 'json', '--data-dir', ks.dir]).stdout).versions;
    expect(versions).toHaveLength(1);
  });

  it('replays the metas, device and cryptographic ids and profile words: a meta-rule change is seen; older entries are counted as not replayable, not guessed', async () => {
    const ks = (live.ks = await makeKeyserver(META_ACTIVE));
    // Two decision entries as kss wrote them before they kept the request (no metas, no token id).
    await ks.withStore((s) => s.appendAudit([1, 2].map((i) => ({
      at: new Date(Date.now() - 60_000 + i).toISOString(), kind: 'decision', actor: 'api:tok_old',
      data: { decision_id: `old-${i}`, request_type: 'decrypt', profile_id: A, approved: true, rule_set: 0, rule_ids: [], request_sha256: 'ab'.repeat(32) },
    }))));
    const srv = (live.srv = await ks.start());
    const sent = [meta('finance/2022/report.pdf'), meta('finance/secret/plan.pdf'), meta('finance/secrets.pdf')];
    for (const body of sent) expect((await post(srv.url, ks.client, body)).json.approved).toBe(true);
    await srv.close();
    live.srv = null;
    const file = join(ks.dir, 'meta-candidate.yml');
    writeFileSync(file, META_CANDIDATE);

    const cli = kss(['keyserver', 'policy', '--load', file, '--dry-run', '--format', 'json', '--tz', 'UTC', '--data-dir', ks.dir]);
    expect(cli.status).toBe(0);
    const r = JSON.parse(cli.stdout);
    // Same profile and ids throughout: only auth_meta tells the complete secret path apart.
    expect(r.replay).toMatchObject({ total: 5, replayed: 3, not_replayable: 2, changed: 1 });
    expect(r.replay.examples).toHaveLength(1);
    const [ex] = r.replay.examples;
    expect(ex.request).toEqual({ ...sent[1], profile: { profile_id: A, profile_words: ['alpha', 'beta'] } });
    expect(ex.old).toEqual({ approved: true, rule_set: 0 });
    expect(ex).toMatchObject({ new: { approved: false, rule_set: null } });
    expect(r).toMatchObject({ file, active_version: 1, counters: { kept: [], reset: [] } });

    const text = kss(['keyserver', 'policy', '--load', file, '--dry-run', '--tz', 'UTC', '--data-dir', ks.dir]).stdout;
    expect(text).toContain('1 of the 3 replayable of the last 5 decisions would change');
    expect(text).toContain('2 not replayable: their audit entries were written before decision entries kept the request');
    expect(text).toContain(`decrypt from ${A} for \`finance/secret/plan.pdf\`: was approved by rule set 0, would be denied`);
  });

  it('only old entries: says none can be replayed; --format without --dry-run is misuse', async () => {
    const ks = (live.ks = await makeKeyserver(META_ACTIVE));
    await ks.withStore((s) => s.appendAudit([{ at: new Date().toISOString(), kind: 'decision', actor: 'api:tok_old', data: { request_type: 'decrypt', profile_id: A, approved: true, rule_set: 0 } }]));
    const file = join(ks.dir, 'meta-candidate.yml');
    writeFileSync(file, META_CANDIDATE);
    const text = kss(['keyserver', 'policy', '--load', file, '--dry-run', '--tz', 'UTC', '--data-dir', ks.dir]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('none of the last 1 decisions can be replayed: its audit entry was written before');
    const misuse = kss(['keyserver', 'policy', '--load', file, '--format', 'json', '--data-dir', ks.dir]);
    expect(misuse.status).toBe(2);
    expect(misuse.stderr).toContain('--format goes with --load FILE --dry-run');
    expect(JSON.parse(kss(['keyserver', 'policy', 'list', '--format', 'json', '--data-dir', ks.dir]).stdout).versions).toHaveLength(1);
  });

  it('a candidate with errors is refused with its diagnostics; --dry-run without a FILE is misuse', async () => {
    const ks = (live.ks = await makeKeyserver(ACTIVE));
    const file = join(ks.dir, 'bad.yml');
    writeFileSync(file, 'decrypt:\n  - - rule: no-such-rule\n');
    const bad = kss(['keyserver', 'policy', '--load', file, '--dry-run', '--data-dir', ks.dir]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/error\[KSS\d+\]/);
    expect(bad.stderr).toContain('has errors; nothing was activated');
    expect(kss(['keyserver', 'policy', '--load', '--dry-run', '--data-dir', ks.dir]).status).toBe(2);
  });
});
