/** A running keyserver signs the audit head while it decides and when it stops (real server, real SQLite). */
import { afterEach, describe, expect, it } from 'vitest';
import { readHeadFile } from '../../runtime/audit/checkpoint.js';
import { verifyAudit } from '../../runtime/admin/audit.js';
import { decrypt, eventually, makeKeyserver, post, PROFILE, type Keyserver } from '../server/helpers.js';

let ks: Keyserver | null = null;
afterEach(() => ks?.cleanup());

describe('checkpoints of a running keyserver', () => {
  it('signs at start, within seconds while deciding, and after the last entry at a clean stop', async () => {
    ks = await makeKeyserver();
    const k = ks;
    const srv = await k.start();
    // At start: the entries the admin commands wrote while no server ran.
    const head = () => k.withStore(async (s) => ({ entry: (await s.lastAudit())?.seq, checkpoint: (await s.lastCheckpoint())?.seq }));
    const started = await head();
    expect(started.checkpoint).toBe(started.entry);

    const body = decrypt(PROFILE.toUpperCase(), { device_id: 'de01', cryptographic_id: 'c1c2', auth_meta: [{ meta: 'a/b.pdf', complete: true }] });
    expect((await post(srv.url, k.client, body)).status).toBe(200);
    expect(await eventually(async () => { const h = await head(); return h.checkpoint === h.entry; }, 5000)).toBe(true);

    for (let i = 0; i < 3; i++) expect((await post(srv.url, k.client, decrypt())).status).toBe(200);
    await srv.close();
    const stopped = await head();
    expect(stopped.checkpoint).toBe(stopped.entry);
    expect(readHeadFile(k.dir)?.seq).toBe(stopped.entry);

    const report = await k.withStore((s) => verifyAudit(s, k.dir));
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ unsigned: null, signedUpTo: { seq: stopped.entry }, headFile: true });

    const [first] = await k.withStore((s) => s.readAudit(0, 100, 'decision'));
    expect(first!.data).toMatchObject({
      request_type: 'decrypt', profile_id: PROFILE, device_id: 'de01', cryptographic_id: 'c1c2',
      auth_meta: [{ meta: 'a/b.pdf', complete: true }], approved: true, rule_set: 0, rule_ids: ['daily'], policy_version: 1,
      token_id: expect.any(String),
    });
    expect(first!.actor).toBe(`api:${(first!.data as { token_id: string }).token_id}`);
  });
});
