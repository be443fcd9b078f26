/** `kss keyserver policy list` and `policy --rollback V` on a real SQLite data directory, seen by a running server over HTTP. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kss } from './cli-helpers.js';
import { decrypt, eventually, makeKeyserver, post, stopLive, THROTTLE_POLICY, type Live } from './helpers.js';

const live: Live = { ks: null, srv: null };
afterEach(() => stopLive(live));

const REJECT = 'decrypt:\n  - - rule: reject-rule\nsearch:\n  - - rule: per-profile-throttle-rule\n      rule_id: mem\n      per_day: 2\n';

describe('policy versions', () => {
  it('lists every version with who, when and the counters kept and reset; a rollback is a new version the server runs', async () => {
    const ks = (live.ks = await makeKeyserver());
    const srv = (live.srv = await ks.start());
    expect((await post(srv.url, ks.client, decrypt())).json.approved).toBe(true); // a `daily` counter now exists
    const dd = ['--data-dir', ks.dir];
    const load = kss(['keyserver', 'policy', '--load', writeFile(ks.dir, 'reject.yml', REJECT), ...dd]);
    expect(load.status).toBe(0);
    expect(await eventually(async () => (await post(srv.url, ks.client, decrypt())).json.approved === false, 10_000)).toBe(true);

    const back = kss(['keyserver', 'policy', '--rollback', '1', ...dd]);
    expect(back.stdout).toContain('rolled back to the text of version 1');
    expect(back.stdout).toContain('policy version 3 active');
    expect(readFileSync(join(ks.dir, 'keyserver.yml'), 'utf8')).toBe(THROTTLE_POLICY);
    expect(await eventually(async () => (await post(srv.url, ks.client, decrypt())).json.approved === true, 10_000)).toBe(true);

    const rows = JSON.parse(kss(['keyserver', 'policy', 'list', '--format', 'json', ...dd]).stdout).versions;
    expect(rows.map((r: Record<string, unknown>) => [r.version, r.kept, r.reset, r.rollback_of, r.active])).toEqual([
      [1, 0, 0, null, false],
      [2, 0, 1, null, false], // `daily` is not in the reject policy: its counter was reset
      [3, 0, 0, 1, true],
    ]);
    expect(rows[0].sha256).toBe(rows[2].sha256);
    expect(rows[0].loaded_by).toBe('test');
    expect(rows[1].loaded_by).toMatch(/^cli:/);
    const text = kss(['keyserver', 'policy', 'list', ...dd]).stdout;
    expect(text).toMatch(new RegExp(`^\\*\\s+3  ${rows[2].sha256}  \\S+\\s+0\\s+0  cli:\\S+  \\(rollback to 1\\)$`, 'm'));
  });

  it('a version that does not exist, or a bad number, says so and changes nothing', async () => {
    const ks = (live.ks = await makeKeyserver());
    const none = kss(['keyserver', 'policy', '--rollback', '7', '--data-dir', ks.dir]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('there is no policy version 7 (versions: 1); see `kss keyserver policy list`');
    const bad = kss(['keyserver', 'policy', '--rollback', 'latest', '--data-dir', ks.dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--rollback takes a version number');
    expect(JSON.parse(kss(['keyserver', 'policy', 'list', '--format', 'json', '--data-dir', ks.dir]).stdout).versions).toHaveLength(1);
  });

  it('list gives json with --format before or after `list`; text otherwise; another format is misuse', async () => {
    const ks = (live.ks = await makeKeyserver());
    const dd = ['--data-dir', ks.dir];
    const after = kss(['keyserver', 'policy', 'list', '--format', 'json', ...dd]);
    const before = kss(['keyserver', 'policy', '--format', 'json', 'list', ...dd]);
    expect(after.status).toBe(0);
    expect(JSON.parse(before.stdout)).toEqual(JSON.parse(after.stdout));
    expect(JSON.parse(after.stdout)).toMatchObject({ policy_approvals: 1, versions: [{ version: 1, active: true, loaded_by: 'test' }], pending: [] });
    expect(kss(['keyserver', 'policy', 'list', '--format', 'text', ...dd]).stdout).toMatch(/^\*\s+1  [0-9a-f]{64}  /m);
    const bad = kss(['keyserver', 'policy', 'list', '--format', 'yaml', ...dd]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('yaml');
  });
});

function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
