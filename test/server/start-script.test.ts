import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'kss-start-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `npm start`'s script until it has printed the curl line, then stops it with SIGTERM. */
function runStart(env: Record<string, string> = { KSS_DATA_DIR: join(tmp, 'kss') }): Promise<{ out: string; code: number | null }> {
  const child = spawn(process.execPath, ['scripts/start.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('metrics:')) child.kill('SIGTERM');
    });
    child.on('exit', (code) => resolve({ out, code }));
  });
}

describe('npm start', () => {
  it('serves examples/keyserver.yml: creates the keyserver on first run, prints tokens and a curl that is approved; later runs reuse it', async () => {
    const first = await runStart();
    expect(first.out).toMatch(/Keyserver created: ks_/);
    const client = /client token: (\S+)/.exec(first.out)![1]!;
    expect(first.out).toMatch(/admin token: {2}kss_/);
    expect(first.out).toMatch(/^web console: http:\/\/127\.0\.0\.1:\d+\/console\/ \(sign in with the admin token\)$/m);
    const curl = /curl -s -H 'Authorization: Bearer (\S+)' -H 'Content-Type: application\/json' \\\n\s+-d '(.+)' (http\S+)\/v1\/requests/.exec(first.out)!;
    expect(curl[1]).toBe(client);
    expect(first.code).toBe(0);
    // The example policy became the data directory's keyserver.yml, as an administrator keeps it.
    expect(readFileSync(join(tmp, 'kss', 'keyserver.yml'), 'utf8')).toBe(readFileSync(join(ROOT, 'examples', 'keyserver.yml'), 'utf8'));
    // Second run: same data directory, no new keyserver, and the printed curl body is accepted.
    const child = spawn(process.execPath, ['scripts/start.js'], { cwd: ROOT, env: { ...process.env, KSS_DATA_DIR: join(tmp, 'kss'), PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const url = await new Promise<string>((resolve) => child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /listening on (\S+)/.exec(out);
      if (m && out.includes('metrics:')) resolve(m[1]!);
    }));
    expect(out).not.toMatch(/Keyserver created/);
    const r = await fetch(`${url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${client}`, 'content-type': 'application/json' }, body: curl[2]! });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { approved: boolean }).approved).toBe(true);
    child.kill('SIGTERM');
    await new Promise((r2) => child.on('exit', r2));
  });

  it('copies KSS_POLICY into keyserver.yml on the first run only; an edit of keyserver.yml is served after a restart', async () => {
    const dir = join(tmp, 'own');
    const policy = join(tmp, 'own.yml');
    writeFileSync(policy, 'rename:\n  - - rule: approve-rule\n');
    const first = await runStart({ KSS_DATA_DIR: dir, KSS_POLICY: policy });
    expect(first.out).toMatch(/Keyserver created: ks_[0-9a-f]{32}\nPolicy version 1 loaded from \S+keyserver\.yml/);
    const client = /client token: (\S+)/.exec(first.out)![1]!;
    expect(readFileSync(join(dir, 'keyserver.yml'), 'utf8')).toBe('rename:\n  - - rule: approve-rule\n');
    writeFileSync(join(dir, 'keyserver.yml'), 'rename:\n  - - rule: reject-rule\n');
    writeFileSync(policy, '# no longer read\n');
    const child = spawn(process.execPath, ['scripts/start.js'], { cwd: ROOT, env: { ...process.env, KSS_DATA_DIR: dir, KSS_POLICY: policy, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const url = await new Promise<string>((resolve) => child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /listening on (\S+)/.exec(out);
      if (m && out.includes('metrics:')) resolve(m[1]!);
    }));
    const r = await fetch(`${url}/v1/requests`, { method: 'POST', headers: { authorization: `Bearer ${client}`, 'content-type': 'application/json' }, body: '{"request_type":"rename"}' });
    expect(((await r.json()) as { approved: boolean }).approved).toBe(false);
    expect(((await (await fetch(`${url}/v1/status`)).json()) as { policy: { version: number } }).policy.version).toBe(2);
    child.kill('SIGTERM');
    await new Promise((r2) => child.on('exit', r2));
  });
});
