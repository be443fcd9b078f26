/**
 * Key custody end to end: `kss serve` and `kss client` processes, real HTTP, real files. The
 * policy approves /finance always, /night never today (its dates are excluded) and /limited once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { client, kss, onboardIn, PASSPHRASE, serve, site, type Site } from './support.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const POLICY = `
decrypt:
  - - rule: meta-rule
      paths: ["/finance"]
  - - rule: meta-rule
      paths: ["/night"]
    - rule: time-range-rule
      exclude: ["${day(-1)}", "${day(0)}", "${day(1)}"]
  - - rule: meta-rule
      paths: ["/limited"]
    - rule: per-profile-throttle-rule
      per_day: 1
`;

describe('key custody end to end', { timeout: 120_000 }, () => {
  let s: Site;
  let profile: string;
  let plain: string;
  const path = (name: string) => join(s.root, name);
  const encrypt = async (meta: string, out: string, dir = profile) => {
    const r = await client(['encrypt', plain, '-o', path(out), '--path', meta, '--profile-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
  };
  const decrypt = (file: string, out: string, dir = profile, extra: string[] = []) => client(['decrypt', path(file), '-o', path(out), '--profile-dir', dir, ...extra]);
  const noPartial = () => expect(readdirSync(s.root).filter((f) => f.includes('kss-partial'))).toEqual([]);

  beforeAll(async () => {
    s = await site(POLICY);
    profile = path('profile');
    plain = path('plain.bin');
    // Not a multiple of the 64 KiB chunk: several full chunks and a short last one.
    writeFileSync(plain, randomBytes(200_000 + 123));
  }, 60_000);

  afterAll(async () => {
    await s.server.kill();
    rmSync(s.root, { recursive: true, force: true });
  });

  it('onboards: the profile has an id, 8 words, a user@host name and two devices', async () => {
    const out = await onboardIn(s, profile);
    expect(out).toMatch(/^profile [0-9a-f]{32}\n/);
    expect(out).toMatch(/\n {2}name: {2}\S+@\S+\n/);
    expect(out).toMatch(/\n {2}words: ([a-z]+ ){7}[a-z]+\n/);
    expect(out).toContain('devices (2):');
    expect(out).toMatch(/workstation {2}[0-9a-f]{32}  \S+@\S+  \(this device\)\n/);
    expect(out).toContain(`keyserver    ${s.keyserverId}  ${s.server.url}`);
    const list = await kss(['keyserver', 'profile', 'list', '--format', 'json', '--data-dir', s.dataDir]);
    const id = /^profile ([0-9a-f]{32})/.exec(out)![1];
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ profile_id: id, revoked_at: null })]);
  });

  it('refuses to onboard with a keyserver that is not the one named', async () => {
    const r = await client(['onboard', '--keyserver', s.server.url, '--keyserver-id', 'ks_00000000000000000000000000000000', '--token', s.token, '--profile-dir', path('wrong-ks')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`is \`${s.keyserverId}\`, not \`ks_00000000000000000000000000000000\``);
    expect(existsSync(path('wrong-ks'))).toBe(false);
  });

  it('decrypts an approved file to the same bytes', async () => {
    await encrypt('finance/2022/report.pdf', 'report.kss');
    expect(readFileSync(path('report.kss')).subarray(0, 5)).toEqual(Buffer.from('KSSF\x02'));
    const r = await decrypt('report.kss', 'report.out');
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path('report.out')).equals(readFileSync(plain))).toBe(true);
  });

  it('denied by path, by time and by a throttle: exit 3, no output, and the answer carries no shard', async () => {
    await encrypt('hr/salaries.xlsx', 'hr.kss');
    await encrypt('night/shift.txt', 'night.kss');
    await encrypt('limited/once.txt', 'limited.kss');
    for (const file of ['hr', 'night']) {
      const r = await decrypt(`${file}.kss`, `${file}.out`);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/denied: the keyserver's policy does not approve decrypting/);
      expect(existsSync(path(`${file}.out`))).toBe(false);
    }
    expect((await decrypt('limited.kss', 'limited.1')).code).toBe(0);
    const again = await decrypt('limited.kss', 'limited.2');
    expect(again.code).toBe(3);
    expect(existsSync(path('limited.2'))).toBe(false);
    noPartial();
    // The audit log records each decision with the file id; only approvals released a shard.
    const audit = await kss(['keyserver', 'audit', '--format', 'json', '--data-dir', s.dataDir]);
    expect(audit.code, audit.stderr).toBe(0);
    const shards = (JSON.parse(audit.stdout) as Array<{ kind: string; data: Record<string, unknown> }>).filter((e) => e.kind === 'decision' && 'shard_file_id' in e.data);
    expect(shards.map((e) => e.data.shard_released)).toEqual([true, false, false, true, false]);
    expect(audit.stdout).not.toMatch(/"shard":|"sealed/);
  });

  it('a changed header byte or a changed chunk byte fails with no output', async () => {
    const original = readFileSync(path('report.kss'));
    const headerLength = original.readUInt32BE(5);
    for (const [name, at] of [['header', 9 + Math.floor(headerLength / 2)], ['chunk', original.length - 10]] as const) {
      const bad = Buffer.from(original);
      bad[at]! ^= 0x01;
      writeFileSync(path(`${name}.kss`), bad);
      const r = await decrypt(`${name}.kss`, `${name}.out`);
      expect(r.code, `${name}: ${r.stderr}`).toBe(1);
      expect(existsSync(path(`${name}.out`))).toBe(false);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    noPartial();
  });

  it('another profile cannot decrypt the file', async () => {
    await onboardIn(s, path('other'));
    const r = await decrypt('report.kss', 'other.out', path('other'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/this file belongs to profile `[0-9a-f]{32}`, not to this profile/);
    expect(existsSync(path('other.out'))).toBe(false);
  });

  it('a revoked profile is refused, also after a restart; the list says so', async () => {
    const id = (JSON.parse(readFileSync(join(path('other'), 'profile.json'), 'utf8')) as { profile_id: string }).profile_id;
    await encrypt('finance/other.txt', 'other.kss', path('other'));
    expect((await decrypt('other.kss', 'other.1', path('other'))).code).toBe(0);
    const revoke = await kss(['keyserver', 'profile', 'revoke', id, '--data-dir', s.dataDir]);
    expect(revoke.stdout).toBe(`profile ${id} revoked\n`);
    const refused = await decrypt('other.kss', 'other.2', path('other'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`profile \`${id}\` is revoked on this keyserver`);
    await s.server.kill();
    s.server = await serve(['--data-dir', s.dataDir]);
    const afterRestart = await decrypt('other.kss', 'other.3', path('other'), ['--keyserver', s.server.url]);
    expect(afterRestart.code).toBe(1);
    expect(afterRestart.stderr).toContain('is revoked');
    // The first profile is untouched.
    expect((await decrypt('report.kss', 'report.2', profile, ['--keyserver', s.server.url])).code).toBe(0);
    const list = await kss(['keyserver', 'profile', 'list', '--data-dir', s.dataDir]);
    expect(list.stdout).toMatch(new RegExp(`${id}  revoked `));
    expect((await kss(['keyserver', 'profile', 'revoke', 'nothex', '--data-dir', s.dataDir])).stderr).toContain('is not a profile id');
  });

  it('recovery from 3 of the 5 backup shares into an empty data directory decrypts a file encrypted before', async () => {
    const recovered = path('recovered');
    const two = await kss(['keyserver', 'recovery-ingest-key', path('backup.key.2'), path('backup.key.4'), '--data-dir', recovered], PASSPHRASE);
    expect(two.code).toBe(1);
    expect(two.stderr).toBe(`kss: 3 of the 5 shares are needed to restore keyserver \`${s.keyserverId}\`; only 2 were given\n`);
    expect(existsSync(join(recovered, 'kss.db'))).toBe(false);
    const ingest = await kss(['keyserver', 'recovery-ingest-key', path('backup.key.1'), path('backup.key.3'), path('backup.key.5'), '--data-dir', recovered], PASSPHRASE);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toBe(`Keyserver restored: ${s.keyserverId}\n`);
    writeFileSync(path('approve.yml'), 'decrypt:\n  - - rule: meta-rule\n      paths: ["/finance"]\n');
    for (const args of [['policy', '--load', path('approve.yml')], ['enable']]) expect((await kss(['keyserver', ...args, '--data-dir', recovered])).code).toBe(0);
    const token = (await kss(['keyserver', 'token', 'create', '--role', 'client', '--data-dir', recovered])).stdout.trim();
    const second = await serve(['--data-dir', recovered]);
    try {
      const r = await decrypt('report.kss', 'recovered.out', profile, ['--keyserver', second.url, '--token', token]);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(path('recovered.out')).equals(readFileSync(plain))).toBe(true);
    } finally {
      await second.kill();
    }
  });
});
