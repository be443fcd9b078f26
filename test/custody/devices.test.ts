/**
 * Profiles with more devices, end to end (`kss serve` and `kss client` processes, real HTTP, real
 * files): `device add` certified by the keyserver as a change_profile decision; a file encrypted
 * on one device decrypts on another; `--threshold 3` needs two workstations and the keyserver;
 * a file in the version 1 format (2 of 2) still decrypts; a revoked device is refused while the
 * others keep working; a policy without `change_profile` denies adding a device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { split } from 'shamir-secret-sharing';
import { sealTo } from '../../protocol/hpke.js';
import { shardAad } from '../../protocol/messages.js';
import { encryptChunks } from '../../client/chunks.js';
import { encodeHeader, type FileHeader } from '../../client/file-format.js';
import { postSigned } from '../../client/http.js';
import { readProfile, type Profile } from '../../client/profile-dir.js';
import { client, kss, onboardIn, site, type Site } from './support.js';

const POLICY = `
decrypt:
  - - rule: meta-rule
      paths: ["/finance"]
change_profile:
  - []
`;

describe('profiles with more devices', { timeout: 120_000 }, () => {
  let s: Site;
  let plain: string;
  const path = (name: string) => join(s.root, name);
  const encrypt = async (meta: string, out: string, dir: string, extra: string[] = []) => {
    const r = await client(['encrypt', plain, '-o', path(out), '--path', meta, '--profile-dir', dir, ...extra]);
    expect(r.code, r.stderr).toBe(0);
    return r;
  };
  const decrypt = (file: string, out: string, dir: string, extra: string[] = []) => client(['decrypt', path(file), '-o', path(out), '--profile-dir', dir, ...extra]);
  const sameAsPlain = (out: string) => expect(readFileSync(path(out)).equals(readFileSync(plain))).toBe(true);

  beforeAll(async () => {
    s = await site(POLICY);
    plain = path('plain.bin');
    writeFileSync(plain, randomBytes(150_000));
    await onboardIn(s, path('desk'), ['--name', 'ann@desk']);
  }, 60_000);

  afterAll(async () => {
    await s.server.kill();
    rmSync(s.root, { recursive: true, force: true });
  });

  it('adds a device: the keyserver certifies it, both devices know each other, the keyserver lists it', async () => {
    const r = await client(['device', 'add', '--profile-dir', path('desk'), '--new-device-dir', path('laptop'), '--name', 'laptop']);
    expect(r.code, r.stderr).toBe(0);
    const desk = readProfile(path('desk'));
    const laptop = readProfile(path('laptop'));
    expect(r.stdout).toContain('devices (3):');
    expect(r.stdout).toContain(`workstation  ${laptop.device.device_id}  laptop  (this device)`);
    expect(r.stdout).toContain(`workstation  ${desk.device.device_id}  ann@desk\n`);
    expect(laptop.profile_id).toBe(desk.profile_id);
    expect(laptop.device.device_id).not.toBe(desk.device.device_id);
    expect(laptop.certificate.body).toMatchObject({ profile_id: desk.profile_id, device_id: laptop.device.device_id, device_encryption_key: laptop.device.encryption_key });
    expect(desk.devices!.map((d) => d.device_id)).toEqual([laptop.device.device_id]);
    const list = await client(['device', 'list', '--profile-dir', path('desk')]);
    expect(list.stdout).toContain(`workstation  ${laptop.device.device_id}  laptop\n`);
    const devices = await kss(['keyserver', 'profile', 'devices', desk.profile_id, '--format', 'json', '--data-dir', s.dataDir]);
    expect(JSON.parse(devices.stdout)).toEqual([
      expect.objectContaining({ device_id: desk.device.device_id, added_by: null, revoked_at: null }),
      expect.objectContaining({ device_id: laptop.device.device_id, name: 'laptop', added_by: desk.device.device_id, revoked_at: null }),
    ]);
    const again = await client(['device', 'add', '--profile-dir', path('desk'), '--new-device-dir', path('laptop')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds a profile');
  });

  it('a file encrypted on one device decrypts on the other (threshold 2: the keyserver and any one workstation)', async () => {
    const r = await encrypt('finance/q1.pdf', 'q1.kss', path('desk'));
    expect(r.stderr).toContain('the keyserver and 1 of 2 workstations decrypt it');
    const prefix = readFileSync(path('q1.kss'));
    expect(prefix.subarray(0, 5)).toEqual(Buffer.from('KSSF\x02'));
    const header = JSON.parse(prefix.subarray(9, 9 + prefix.readUInt32BE(5)).toString()) as FileHeader;
    expect(header.threshold).toBe(2);
    expect(header.shares.map((x) => x.holder)).toEqual(['keyserver', 'device', 'device']);
    for (const dir of ['laptop', 'desk']) {
      const d = await decrypt('q1.kss', `q1.${dir}`, path(dir));
      expect(d.code, d.stderr).toBe(0);
      sameAsPlain(`q1.${dir}`);
    }
    const back = await encrypt('finance/q2.pdf', 'q2.kss', path('laptop'));
    expect(back.stderr).toContain('1 of 2 workstations');
    expect((await decrypt('q2.kss', 'q2.out', path('desk'))).code).toBe(0);
    sameAsPlain('q2.out');
  });

  it('--threshold 3: one workstation alone cannot decrypt (and asks nothing of the keyserver); two can', async () => {
    await encrypt('finance/board.pdf', 'board.kss', path('desk'), ['--threshold', '3']);
    const decisionsBefore = (await kss(['keyserver', 'audit', '--format', 'json', '--data-dir', s.dataDir])).stdout.match(/"shard_file_id"/g)?.length ?? 0;
    const alone = await decrypt('board.kss', 'board.1', path('laptop'));
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain('this file needs the keyserver and 2 devices of the profile (threshold 3); only this one was given: add --with-device-dir DIR for 1 more');
    expect(existsSync(path('board.1'))).toBe(false);
    const decisionsAfter = (await kss(['keyserver', 'audit', '--format', 'json', '--data-dir', s.dataDir])).stdout.match(/"shard_file_id"/g)?.length ?? 0;
    expect(decisionsAfter).toBe(decisionsBefore);
    const both = await decrypt('board.kss', 'board.2', path('laptop'), ['--with-device-dir', path('desk')]);
    expect(both.code, both.stderr).toBe(0);
    sameAsPlain('board.2');
    const tooMany = await client(['encrypt', plain, '-o', path('x.kss'), '--path', 'finance/x', '--profile-dir', path('desk'), '--threshold', '4']);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('--threshold must be from 2 to 3: the profile has 3 devices (2 workstations and the keyserver)');
    const notANumber = await client(['encrypt', plain, '-o', path('x.kss'), '--path', 'finance/x', '--profile-dir', path('desk'), '--threshold', 'two']);
    expect(notANumber.code).toBe(2);
  });

  it('a file in the version 1 format (written before profiles had more devices) still decrypts', async () => {
    const p = readProfile(path('desk'));
    const key = randomBytes(32);
    const binding = { keyserverId: p.keyserver.keyserver_id, profileId: p.profile_id, fileId: randomBytes(16).toString('hex'), meta: 'finance/old.pdf' };
    // Exactly what kss wrote as version 1: 2 of 2, both shares sealed under shardAad.
    const [device, keyserver] = await split(new Uint8Array(key), 2, 2);
    const seal = (to: string, part: Uint8Array) => sealTo(Buffer.from(to, 'base64'), part, shardAad(binding));
    const header: FileHeader = {
      cipher: 'aes-256-gcm-chunked', chunk_size: 65536, keyserver_id: binding.keyserverId, profile_id: binding.profileId, file_id: binding.fileId, meta: binding.meta, threshold: 2,
      shares: [{ holder: 'device', id: p.device.device_id, sealed: await seal(p.device.encryption_key, device!) }, { holder: 'keyserver', id: binding.keyserverId, sealed: await seal(p.keyserver.encryption_public_key, keyserver!) }],
    };
    const { prefix, prefixSha256 } = encodeHeader(header, 1);
    const out = openSync(path('old.kss'), 'w');
    const inFd = openSync(plain, 'r');
    writeSync(out, prefix);
    encryptChunks(key, prefixSha256, inFd, out);
    closeSync(inFd);
    closeSync(out);
    expect(readFileSync(path('old.kss')).subarray(0, 5)).toEqual(Buffer.from('KSSF\x01'));
    const r = await decrypt('old.kss', 'old.out', path('desk'));
    expect(r.code, r.stderr).toBe(0);
    sameAsPlain('old.out');
    // The other device holds no share of it: a clear message, nothing asked of the keyserver.
    const other = await decrypt('old.kss', 'old.laptop', path('laptop'));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/this file holds no share for device `[0-9a-f]{32}` \(it was encrypted by another profile, or before the device was added\)/);
  });

  it('encrypt refuses a device in the profile whose keys the keyserver did not certify (no share is sealed to an unknown key)', async () => {
    const p = readProfile(path('desk'));
    const forged = { ...p, devices: p.devices!.map((d) => ({ ...d, encryption_key: p.device.encryption_key })) };
    writeFileSync(join(path('desk'), 'profile.json'), JSON.stringify(forged));
    try {
      const r = await client(['encrypt', plain, '-o', path('forged.kss'), '--path', 'finance/f', '--profile-dir', path('desk')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`device \`${p.devices![0]!.device_id}\` in the profile has no certificate of keyserver`);
      expect(existsSync(path('forged.kss'))).toBe(false);
    } finally {
      writeFileSync(join(path('desk'), 'profile.json'), JSON.stringify(p));
    }
  });

  it('the keyserver refuses an addition without the new device\'s proof, or signed by a device it did not certify', async () => {
    const p: Profile = readProfile(path('desk'));
    const laptop = readProfile(path('laptop'));
    const body = (proof: string) => JSON.stringify({
      certificate: p.certificate, profile: { profile_id: p.profile_id, profile_words: p.profile_words },
      device: { name: 'rogue', signing_key: laptop.device.signing_key.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), encryption_key: laptop.device.encryption_key }, device_proof: proof,
    });
    const badProof = await postSigned(s.server.url, '/v1/devices', s.token, body(Buffer.alloc(64).toString('base64')), p.device.signing_private_key);
    expect(badProof.status).toBe(401);
    expect(String(badProof.json.error)).toContain('`device_proof` is not the new device\'s signature');
    const wrongSigner = await postSigned(s.server.url, '/v1/devices', s.token, body('x'), laptop.device.signing_private_key);
    expect(wrongSigner.status).toBe(401);
    expect(String(wrongSigner.json.error)).toContain('the device signature does not match');
  });

  it('a revoked device is refused; the other device of the profile keeps working', async () => {
    const laptop = readProfile(path('laptop'));
    const revoke = await kss(['keyserver', 'profile', 'revoke-device', laptop.device.device_id, '--data-dir', s.dataDir]);
    expect(revoke.stdout).toBe(`device ${laptop.device.device_id} revoked\n`);
    const refused = await decrypt('q1.kss', 'q1.revoked', path('laptop'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`device \`${laptop.device.device_id}\` of profile \`${laptop.profile_id}\` is revoked on this keyserver`);
    expect((await decrypt('q1.kss', 'q1.desk2', path('desk'))).code).toBe(0);
    const addFromRevoked = await client(['device', 'add', '--profile-dir', path('laptop'), '--new-device-dir', path('tablet')]);
    expect(addFromRevoked.code).toBe(1);
    expect(addFromRevoked.stderr).toContain('is revoked');
    expect((await kss(['keyserver', 'profile', 'revoke-device', laptop.device.device_id, '--data-dir', s.dataDir])).stderr).toContain('is revoked already');
    const list = await kss(['keyserver', 'profile', 'devices', laptop.profile_id, '--data-dir', s.dataDir]);
    expect(list.stdout).toMatch(new RegExp(`${laptop.device.device_id}  revoked \\S+  \\S+  added by [0-9a-f]{32}  laptop\\n`));
  });

  it('without a change_profile entry in the policy, adding a device is denied (exit 3, nothing written)', async () => {
    writeFileSync(path('no-change.yml'), 'decrypt:\n  - - rule: meta-rule\n      paths: ["/finance"]\n');
    expect((await kss(['keyserver', 'policy', '--load', path('no-change.yml'), '--data-dir', s.dataDir])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1500)); // the server notices the new policy within a second
    const r = await client(['device', 'add', '--profile-dir', path('desk'), '--new-device-dir', path('phone')]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('a change_profile request: the policy needs a `change_profile` entry that approves it');
    expect(existsSync(path('phone'))).toBe(false);
    expect(readProfile(path('desk')).devices).toHaveLength(1);
  });
});
