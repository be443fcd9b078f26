/**
 * In SQLite mode kss.db holds no private key (issue 10 §3): someone who can read and write the
 * database, but not the data directory's key file, rewrites the audit chain, recomputes every
 * hash and re-signs the checkpoints with the best key he has, and `audit --verify` still says so.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../runtime/audit/checkpoint.js';
import { AuditSigner } from '../../runtime/audit/signer.js';
import { verifyAudit } from '../../runtime/admin/audit.js';
import { generateIdentity, privateKeyObject } from '../../runtime/identity/keys.js';
import { canonicalJson } from '../../runtime/json/canonical.js';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import type { SigningIdentity } from '../../runtime/store/types.js';
import { expectNoPrivateKey, tempDir } from '../store/helpers.js';
import { rechain } from './attacks.js';

const done: Array<() => void> = [];
afterEach(() => done.splice(0).forEach((f) => f()));

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

async function signedKeyserver(): Promise<{ dir: string; store: SqliteStore; identity: SigningIdentity }> {
  const t = tempDir('kss-sqlkey-');
  done.push(t.cleanup);
  const identity = generateIdentity();
  const store = SqliteStore.open(t.dir, { create: true });
  await store.createIdentity(identity);
  const signer = new AuditSigner(store, identity, t.dir);
  for (let b = 0; b < 4; b++) {
    await store.appendAudit(Array.from({ length: 10 }, (_, k) => ({ at: at((b * 10 + k) * 100), kind: 'decision', actor: 'api:t', data: { i: b * 10 + k + 1, approved: false } })));
    await signer.checkpoint(() => new Date(T0 + (b + 1) * 1000));
  }
  return { dir: t.dir, store, identity };
}

describe('an attacker with access to kss.db only', () => {
  it('finds no private key in it, in the identity row or anywhere in the file', async () => {
    const { dir, store, identity } = await signedKeyserver();
    const raw = new Database(join(dir, 'kss.db'), { readonly: true });
    expect(raw.prepare('SELECT id, public_key, private_key FROM identity').get()).toEqual({ id: identity.id, public_key: identity.publicKey, private_key: '' });
    raw.close();
    expectNoPrivateKey(dir, identity);
    // The keyserver itself still signs: the store adds the key from the data directory's key file.
    expect(await store.getIdentity()).toEqual(identity);
    await store.close();
    expectNoPrivateKey(dir, identity);
  });

  it('rewrites rows, recomputes the chain and re-signs the checkpoints: verify reports both', async () => {
    const { dir, store, identity } = await signedKeyserver();
    const raw = new Database(join(dir, 'kss.db'));
    done.push(() => raw.close());
    const row = raw.prepare<[], { private_key: string }>('SELECT private_key FROM identity').get()!;
    // What the database holds cannot sign.
    expect(() => privateKeyObject({ ...identity, privateKey: row.private_key })).toThrow();
    // So the attacker signs with a key of his own, and names it in the identity row.
    const own = generateIdentity();
    const forged = rechain(await store.readAudit(0, 100), 5, { approved: true });
    raw.prepare('DELETE FROM audit WHERE seq >= 5').run();
    const insert = raw.prepare('INSERT INTO audit (seq, at, kind, actor, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const e of forged) insert.run(e.seq, e.at, e.kind, e.actor, canonicalJson(e.data), e.prevHash, e.hash);
    raw.prepare('DELETE FROM audit_checkpoint').run();
    for (const seq of [10, 20, 30, 40]) {
      const c = signCheckpoint(privateKeyObject(own), identity.id, forged.find((e) => e.seq === seq)!, new Date(T0 + seq * 100));
      raw.prepare('INSERT INTO audit_checkpoint (seq, hash, at, signature) VALUES (?, ?, ?, ?)').run(c.seq, c.hash, c.at, c.signature);
    }
    const report = await verifyAudit(store, dir, new Date(T0 + 5000));
    const messages = report.problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/checkpoint 10 does not carry the keyserver's signature/);
    expect(messages).toMatch(/checkpoint 40 does not carry the keyserver's signature/);
    expect(messages).toMatch(/entry 40 is not the entry the data directory's checkpoint 40 signed .*the chain was rewritten/);

    // Naming his key in the identity row as well only adds a finding: the key file decides.
    raw.prepare('UPDATE identity SET id = ?, public_key = ?').run(own.id, own.publicKey);
    const swapped = (await verifyAudit(store, dir, new Date(T0 + 5000))).problems.map((p) => p.message).join('\n');
    expect(swapped).toMatch(/does not match kss\.db's public key/);
    expect(swapped).toMatch(/checkpoint 10 does not carry the keyserver's signature/);
    await expect(store.getIdentity()).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/recovery-ingest-key/) });
    await store.close();
  });
});
