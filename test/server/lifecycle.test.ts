/**
 * The keyserver's life cycle as its administrators know it (issue 9), with the real CLI, real
 * `kss serve` processes and real SQLite files: configure keyserver.yml, create (loaded and
 * enabled), the older `enable --backup-path`, keyserver.yml as the administrator's file for
 * `policy --load` and for `kss serve` at start, identical text making no version anywhere.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kss, serve, type ServeProcess } from './cli-helpers.js';
import { post, requestWithoutBody } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'kss-life-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const PASS = { KSS_BACKUP_PASSPHRASE: 'a long enough passphrase' };
const RENAME_APPROVED = 'rename:\n  - - rule: approve-rule\n';
const RENAME_DENIED = 'rename:\n  - - rule: reject-rule\n';
const BROKEN = 'rename:\n  - - rule: approve-rule\n      colour: red\n';

let n = 0;
/** A fresh data directory holding `policy` as its keyserver.yml (none when null). */
function dataDir(policy: string | null): string {
  const dir = join(tmp, `d${n++}`);
  mkdirSync(dir, { mode: 0o700 });
  if (policy !== null) writeFileSync(join(dir, 'keyserver.yml'), policy);
  return dir;
}
const status = (dir: string) => JSON.parse(kss(['keyserver', 'status', '--format', 'json', '--data-dir', dir]).stdout);
const token = (dir: string, role = 'client') => kss(['keyserver', 'token', 'create', '--role', role, '--data-dir', dir]).stdout.trim();
const rename = async (url: string, t: string) => (await post(url, t, { request_type: 'rename' })).json;

async function stopped(p: ServeProcess): Promise<void> {
  p.child.kill('SIGTERM');
  expect((await p.exited).code).toBe(0);
}

describe('keyserver create', () => {
  it('with keyserver.yml configured first: prints the id, loads the file as version 1, enables; a request is answered at once', async () => {
    const dir = dataDir(RENAME_APPROVED);
    const r = kss(['keyserver', 'create', '--data-dir', dir]);
    expect(r.status).toBe(0);
    const id = /^Keyserver created: (ks_[0-9a-f]{32})\n/.exec(r.stdout)![1];
    expect(r.stdout).toMatch(new RegExp(`\\nPolicy version 1 loaded from ${dir}/keyserver\\.yml \\(sha256 [0-9a-f]{64}\\)\\nKeyserver enabled\\n$`));
    expect(status(dir)).toMatchObject({ keyserver_id: id, enabled: true, policy: { version: 1, file: `${dir}/keyserver.yml` } });
    const srv = await serve(dir);
    expect(await rename(srv.url, token(dir))).toMatchObject({ approved: true, rule_set: 0 });
    await stopped(srv);
  });

  it('with a keyserver.yml that has errors: prints them as `kss check` does and creates nothing', () => {
    const dir = dataDir(BROKEN);
    const r = kss(['keyserver', 'create', '--data-dir', dir]);
    expect(r.status).toBe(1);
    const check = kss(['check', join(dir, 'keyserver.yml')]);
    expect(check.status).toBe(1);
    expect(r.stderr).toBe(`${check.stdout}kss: \`${dir}/keyserver.yml\` has errors; no keyserver was created (fix the file and run the command again)\n`);
    expect(existsSync(join(dir, 'kss.db'))).toBe(false);
    expect(readFileSync(join(dir, 'keyserver.yml'), 'utf8')).toBe(BROKEN);
  });

  it('--ignore-security-checks without anything below the checks says that it changes nothing', () => {
    const dir = dataDir(null);
    const r = kss(['keyserver', 'create', '--ignore-security-checks', '--data-dir', dir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^note: nothing here is below the security checks, so --ignore-security-checks changes nothing\n/);
    expect(status(dir).enabled).toBe(true);
  });

  it('enable --backup-path on a data directory without a keyserver creates one (the older spelling); on one with a keyserver it refuses and changes nothing', () => {
    const dir = dataDir(RENAME_APPROVED);
    const backup = join(tmp, `backup-${n}.txt`);
    const r = kss(['keyserver', 'enable', '--backup-path', backup, '--ignore-security-checks', '--data-dir', dir], PASS);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Keyserver created: ks_[0-9a-f]{32}\nBackup key written to .*\nPolicy version 1 loaded from .*\nKeyserver enabled\n$/);
    expect(readFileSync(backup, 'utf8')).toContain(status(dir).keyserver_id);
    kss(['keyserver', 'disable', '--data-dir', dir]);
    const again = kss(['keyserver', 'enable', '--backup-path', join(tmp, 'other.txt'), '--data-dir', dir], PASS);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/a keyserver already exists in .*`--backup-path` creates one: run `kss keyserver enable` without it/);
    expect(existsSync(join(tmp, 'other.txt'))).toBe(false);
    expect(status(dir).enabled).toBe(false);
    expect(kss(['keyserver', 'enable', '--data-dir', dir]).stdout).toBe('Keyserver enabled\n');
  });
});

describe("keyserver.yml is the administrator's file", () => {
  it('policy --load reloads it; the same text again makes no new version and says so', () => {
    const dir = dataDir(RENAME_APPROVED);
    kss(['keyserver', 'create', '--data-dir', dir]);
    const same = kss(['keyserver', 'policy', '--load', '--data-dir', dir]);
    expect(same.status).toBe(0);
    expect(same.stdout).toMatch(/^policy version 1 is already active with this text \(sha256 [0-9a-f]{64}\); no new version\n$/);
    writeFileSync(join(dir, 'keyserver.yml'), RENAME_DENIED);
    expect(kss(['keyserver', 'policy', '--load', '--data-dir', dir]).stdout).toMatch(/^policy version 2 active/);
    expect(status(dir).counts.policy_versions).toBe(2);
  });

  it('policy --load PATH copies an accepted PATH into keyserver.yml; a refused one leaves the file and the active policy as they were', () => {
    const dir = dataDir(RENAME_APPROVED);
    kss(['keyserver', 'create', '--data-dir', dir]);
    writeFileSync(join(dir, 'keyserver.yml'), `# edited, not loaded\n${RENAME_APPROVED}`);
    const mode = statSync(join(dir, 'keyserver.yml')).mode;
    const bad = join(tmp, 'broken.yml');
    writeFileSync(bad, BROKEN);
    const refused = kss(['keyserver', 'policy', '--load', bad, '--data-dir', dir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`${kss(['check', bad]).stdout}kss: \`${bad}\` has errors; it was not loaded (the active policy is unchanged)\n`);
    expect(readFileSync(join(dir, 'keyserver.yml'), 'utf8')).toBe(`# edited, not loaded\n${RENAME_APPROVED}`);
    expect(status(dir).policy.version).toBe(1);

    const good = join(tmp, 'denied.yml');
    writeFileSync(good, RENAME_DENIED);
    const loaded = kss(['keyserver', 'policy', '--load', good, '--data-dir', dir]);
    expect(loaded.stdout).toMatch(new RegExp(`^policy version 2 active[^]*\\n${dir}/keyserver\\.yml now holds this policy\\n$`));
    expect(readFileSync(join(dir, 'keyserver.yml'), 'utf8')).toBe(RENAME_DENIED);
    expect(statSync(join(dir, 'keyserver.yml')).mode).toBe(mode);
    expect(kss(['keyserver', 'policy', '--load', good, '--data-dir', dir]).stdout).toMatch(/^policy version 2 is already active/);
  });

  it('policy --load without a keyserver.yml says where to write it', () => {
    const dir = dataDir(null);
    kss(['keyserver', 'create', '--data-dir', dir]);
    const r = kss(['keyserver', 'policy', '--load', '--data-dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`kss: there is no ${dir}/keyserver.yml: write the policy there, or give a PATH (\`kss keyserver policy --load PATH\`)\n`);
  });

  it('kss serve loads keyserver.yml at start when it was edited, and only then: a policy loaded since over the API survives a restart', async () => {
    const dir = dataDir(RENAME_APPROVED);
    kss(['keyserver', 'create', '--data-dir', dir]);
    const client = token(dir);
    const admin = token(dir, 'admin');
    writeFileSync(join(dir, 'keyserver.yml'), RENAME_DENIED);
    let srv = await serve(dir);
    expect(await rename(srv.url, client)).toMatchObject({ approved: false });
    expect((await requestWithoutBody(srv.url, null, '/v1/status')).json.policy.version).toBe(2);
    // The API loads another text; keyserver.yml, unedited since kss loaded it, does not undo it.
    const put = await post(srv.url, admin, RENAME_APPROVED, '/v1/policy', 'PUT');
    expect(put.json).toMatchObject({ version: 3, unchanged: false });
    const again = await post(srv.url, admin, RENAME_APPROVED, '/v1/policy', 'PUT');
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ version: 3, unchanged: true, message: expect.stringMatching(/^policy version 3 is already active with this text .*; no new version$/) });
    await stopped(srv);
    srv = await serve(dir);
    expect((await requestWithoutBody(srv.url, null, '/v1/status')).json.policy.version).toBe(3);
    expect(await rename(srv.url, client)).toMatchObject({ approved: true });
    await stopped(srv);
    // Edited back to the active text: loaded at start, found identical, no version, and said so.
    writeFileSync(join(dir, 'keyserver.yml'), RENAME_APPROVED);
    srv = await serve(dir);
    await stopped(srv);
    const lines = srv.stderr().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'policy is the active version already; no new version', policy_version: 3 }));
    expect(status(dir).counts.policy_versions).toBe(3);
  });

  it('kss serve refuses to start on an edited keyserver.yml with errors, printing them as `kss check` does', async () => {
    const dir = dataDir(RENAME_APPROVED);
    kss(['keyserver', 'create', '--data-dir', dir]);
    writeFileSync(join(dir, 'keyserver.yml'), BROKEN);
    const failed = serve(dir);
    await expect(failed).rejects.toThrow(/exited \(1\) before listening/);
    const stderr = await failed.catch((e: Error) => e.message);
    expect(stderr).toContain(kss(['check', join(dir, 'keyserver.yml')]).stdout);
    expect(stderr).toContain(`kss: the policy \`${dir}/keyserver.yml\` has errors and was not loaded, so the server did not start (the active policy is unchanged)`);
    expect(status(dir).policy.version).toBe(1);
  });

  it('kss serve --policy FILE loads FILE and makes it keyserver.yml', async () => {
    const dir = dataDir(RENAME_APPROVED);
    kss(['keyserver', 'create', '--data-dir', dir]);
    const file = join(tmp, `serve-${n}.yml`);
    writeFileSync(file, RENAME_DENIED);
    const srv = await serve(dir, ['--policy', file]);
    expect((await requestWithoutBody(srv.url, null, '/v1/status')).json.policy.version).toBe(2);
    await stopped(srv);
    expect(readFileSync(join(dir, 'keyserver.yml'), 'utf8')).toBe(RENAME_DENIED);
  });
});

describe('quota clear takes a hex profile id', () => {
  it('the CLI refuses anything else with exit status 2; DELETE /v1/quota answers 400', async () => {
    const dir = dataDir(RENAME_APPROVED);
    kss(['keyserver', 'create', '--data-dir', dir]);
    for (const bad of ['alice', 'abc', '00112233445566778899aabbccddeefg', '']) {
      const r = kss(['keyserver', 'quota', 'clear', '--profile', bad, '--data-dir', dir]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: (`.*` is not a profile id|an empty profile id): a profile id is hex digits, two per byte, .*\n\(run `kss keyserver quota clear --help` for usage\)\n$/);
    }
    expect(kss(['keyserver', 'quota', 'clear', '--profile', '00112233445566778899AABBCCDDEEFF', '--data-dir', dir]).status).toBe(0);
    const srv = await serve(dir);
    const admin = token(dir, 'admin');
    const refused = await post(srv.url, admin, undefined, '/v1/quota?profile=alice', 'DELETE');
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/^`alice` is not a profile id: a profile id is hex digits/);
    expect((await post(srv.url, admin, undefined, '/v1/quota?profile=00112233445566778899aabbccddeeff', 'DELETE')).json).toEqual({ cleared: 0 });
    await stopped(srv);
  });
});

describe('instances of a data directory', () => {
  it('a restarted server is the same instance; instance list shows the policy version it runs; remove forgets an Offline one and refuses an Online one', async () => {
    const dir = dataDir(RENAME_APPROVED);
    kss(['keyserver', 'create', '--data-dir', dir]);
    const list = () => JSON.parse(kss(['keyserver', 'instance', 'list', '--format', 'json', '--data-dir', dir]).stdout);
    await stopped(await serve(dir));
    const srv = await serve(dir);
    const [one] = list();
    expect(list()).toEqual([expect.objectContaining({ policy_version: 1, status: 'Online' })]);
    expect(one.id).toBe(JSON.parse(readFileSync(join(dir, 'instance.json'), 'utf8')).instance_id);
    writeFileSync(join(tmp, 'v2.yml'), RENAME_DENIED);
    kss(['keyserver', 'policy', '--load', join(tmp, 'v2.yml'), '--data-dir', dir]);
    // The instance reports the version it switched to at once, not at its next 5 s heartbeat.
    const deadline = Date.now() + 3000;
    while (list()[0].policy_version !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(list()[0].policy_version).toBe(2);
    expect(kss(['keyserver', 'instance', 'list', '--data-dir', dir]).stdout).toMatch(new RegExp(`^ID +HOST +VERSION +POLICY +LAST HEARTBEAT +STATUS\\n${one.id} +\\S+ +0\\.1\\.0 +2 +\\S+ +Online\\n$`));

    const online = kss(['keyserver', 'instance', 'remove', one.id, '--data-dir', dir]);
    expect(online.status).toBe(1);
    expect(online.stderr).toMatch(/is Online .*stop it first, or give --force/);
    // A clean stop says so in its last heartbeat: Offline at once, so remove needs no --force.
    await stopped(srv);
    expect(list()).toEqual([expect.objectContaining({ id: one.id, status: 'Offline' })]);
    expect(kss(['keyserver', 'instance', 'remove', one.id.slice(0, 8), '--data-dir', dir]).stdout).toMatch(new RegExp(`^Instance ${one.id} \\(.*, Offline\\) removed\\n$`));
    expect(list()).toEqual([]);
    const unknown = kss(['keyserver', 'instance', 'remove', one.id, '--data-dir', dir]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe(`kss: no instance \`${one.id}\` (see \`kss keyserver instance list\`)\n`);
  });
});
