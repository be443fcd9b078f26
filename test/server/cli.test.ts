import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { kss } from './cli-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'kss-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const D = join(tmp, 'ks');
const PASS = { KSS_BACKUP_PASSPHRASE: 'a long enough passphrase' };
const dd = ['--data-dir', D];

describe('kss keyserver (real CLI, real SQLite file)', () => {
  let id = '';

  it('create prints the id, writes an encrypted backup and enables the keyserver; a second create refuses', () => {
    const r = kss(['keyserver', 'create', ...dd, '--backup-path', join(tmp, 'backup.json'), '--ignore-security-checks'], PASS);
    // No keyserver.yml in the data directory yet: created and enabled without a policy, and told so.
    expect(r.stderr).toMatch(/^note: --ignore-security-checks: a single backup key file is one point of loss and of theft \(split it with --backup-shares 5 --backup-threshold 3\)\nno policy yet: write \S+\/keyserver\.yml and run `kss keyserver policy --load --data-dir /);
    expect(r.stderr).toMatch(/\nnext: kss keyserver token create --role client --data-dir /);
    expect(r.status).toBe(0);
    id = /^Keyserver created: (ks_[0-9a-f]{32})\nBackup key written to \S+\nKeyserver enabled\n$/.exec(r.stdout.replace(/ \(keep.*\)/, ''))![1]!;
    expect(readFileSync(join(tmp, 'backup.json'), 'utf8')).toContain(id);
    const again = kss(['keyserver', 'create', ...dd]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect(again.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('without a passphrase and without a terminal, create --backup-path says what to do', () => {
    const r = kss(['keyserver', 'create', '--data-dir', join(tmp, 'nopass'), '--backup-path', join(tmp, 'b2.json'), '--backup-shares', '5', '--backup-threshold', '3'], { KSS_BACKUP_PASSPHRASE: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/KSS_BACKUP_PASSPHRASE/);
  });

  it('recovery-ingest-key restores the same id into an empty directory, and refuses a wrong passphrase', () => {
    expect(kss(['keyserver', 'save-backup-key', join(tmp, 'second.json'), '--ignore-security-checks', ...dd], PASS).status).toBe(0);
    const bad = kss(['keyserver', 'recovery-ingest-key', join(tmp, 'second.json'), '--data-dir', join(tmp, 'r0')], { KSS_BACKUP_PASSPHRASE: 'wrong one!' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/wrong passphrase/);
    const r = kss(['keyserver', 'recovery-ingest-key', join(tmp, 'second.json'), '--data-dir', join(tmp, 'r1')], PASS);
    expect(r.stdout).toContain(`Keyserver restored: ${id}`);
    expect(kss(['keyserver', 'recovery-ingest-key', join(tmp, 'backup.json'), ...dd], PASS).stderr).toMatch(/already holds keyserver/);
  });

  it('policy --load refuses a policy with errors, printing file:line:column diagnostics', () => {
    writeFileSync(join(tmp, 'bad.yml'), 'decrypt:\n  - - rule: per-profile-throttle-rule\n      per_days: 3\n');
    const r = kss(['keyserver', 'policy', '--load', join(tmp, 'bad.yml'), ...dd]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.yml:3:\d+: error\[KSS\d{4}\]: /);
    expect(r.stderr).toMatch(/not loaded/);
    expect(JSON.parse(kss(['keyserver', 'status', '--format', 'json', ...dd]).stdout).policy).toBeNull();
  });

  it('policy --load checks in the server zone of --tz: the zone\'s own abbreviation with daylight saving is refused (SPEC 4.3)', () => {
    writeFileSync(join(tmp, 'est.yml'), 'decrypt:\n  - - rule: time-range-rule\n      time_start: 9:00am EST\n      time_end: 5:00pm EST\n');
    const r = kss(['keyserver', 'policy', '--load', join(tmp, 'est.yml'), '--tz', 'America/New_York', ...dd]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/est\.yml:3:\d+: error\[KSS2015\]: `EST` names the server's zone `America\/New_York`/);
    expect(JSON.parse(kss(['keyserver', 'status', '--format', 'json', ...dd]).stdout).policy).toBeNull();
    expect(kss(['keyserver', 'policy', '--load', join(tmp, 'est.yml'), '--tz', 'Mars/Base', ...dd]).status).toBe(2);
  });

  it('policy --load reports kept and reset counters; --dump writes the source back', () => {
    const src = 'decrypt:\n  - - rule: per-profile-throttle-rule\n      rule_id: daily\n      per_day: 2\n      persistent: true\n';
    writeFileSync(join(tmp, 'good.yml'), src);
    const r = kss(['keyserver', 'policy', '--load', join(tmp, 'good.yml'), ...dd]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/policy version 1 active/);
    expect(r.stdout).toMatch(/quota counters reset: none/);
    expect(kss(['keyserver', 'policy', '--dump', join(tmp, 'dump.yml'), ...dd]).status).toBe(0);
    expect(readFileSync(join(tmp, 'dump.yml'), 'utf8')).toBe(src);
  });

  it('status, enable, disable', () => {
    expect(kss(['keyserver', 'enable', ...dd]).stdout).toMatch(/enabled/);
    const s = JSON.parse(kss(['keyserver', 'status', '--format', 'json', ...dd]).stdout);
    expect(s).toMatchObject({ keyserver_id: id, enabled: true, policy: { version: 1 } });
    expect(kss(['keyserver', 'status', ...dd]).stdout).toMatch(/enabled:\s+yes/);
    kss(['keyserver', 'disable', ...dd]);
    expect(JSON.parse(kss(['keyserver', 'status', '--format', 'json', ...dd]).stdout).enabled).toBe(false);
  });

  it('tokens: create prints once, list never shows them, revoke', () => {
    const c = kss(['keyserver', 'token', 'create', '--role', 'client', '--label', 'ci', ...dd]);
    const token = c.stdout.trim();
    expect(token).toMatch(/^kss_[0-9a-f]{8}_\S+$/);
    const list = kss(['keyserver', 'token', 'list', '--format', 'json', ...dd]).stdout;
    expect(list).not.toContain(token);
    const tid = token.split('_')[1]!;
    expect(JSON.parse(list)).toEqual([expect.objectContaining({ id: tid, role: 'client', label: 'ci', revokedAt: null })]);
    expect(kss(['keyserver', 'token', 'revoke', tid, ...dd]).status).toBe(0);
    expect(kss(['keyserver', 'token', 'revoke', tid, ...dd]).status).toBe(1);
    expect(kss(['keyserver', 'token', 'create', '--role', 'root', ...dd]).status).toBe(2);
  });

  it('quota list (json) and clear', () => {
    const db = new Database(join(D, 'kss.db'));
    const now = new Date().toISOString();
    db.prepare('INSERT INTO quota VALUES (?, ?, ?, ?, ?, ?)').run('daily', 'aa', now.slice(0, 13), 2, now.slice(0, 10), 2);
    db.prepare('INSERT INTO quota VALUES (?, ?, ?, ?, ?, ?)').run('daily', 'bb', now.slice(0, 13), 1, now.slice(0, 10), 1);
    db.close();
    const list = JSON.parse(kss(['keyserver', 'quota', 'list', '--format', 'json', '--tz', 'UTC', ...dd]).stdout);
    expect(list).toEqual([
      { rule_id: 'daily', profile_id: 'aa', hour_count: 2, day_count: 2, at_quota: true, persistent: true, instance: null },
      { rule_id: 'daily', profile_id: 'bb', hour_count: 1, day_count: 1, at_quota: false, persistent: true, instance: null },
    ]);
    expect(kss(['keyserver', 'quota', 'list', '--tz', 'UTC', ...dd]).stdout).toMatch(/daily\s+aa\s+2\s+2\s+yes/);
    expect(kss(['keyserver', 'quota', 'clear', ...dd]).status).toBe(2);
    expect(kss(['keyserver', 'quota', 'clear', '--profile', 'AA', ...dd]).stdout).toMatch(/cleared 1 counter/);
    expect(kss(['keyserver', 'quota', 'clear', '--all', '--rule-id', 'daily', ...dd]).stdout).toMatch(/cleared 1 counter/);
  });

  it('audit --verify passes, then detects an edited row', () => {
    const ok = kss(['keyserver', 'audit', '--verify', ...dd]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/audit chain ok: \d+ entries/);
    expect(kss(['keyserver', 'audit', ...dd]).stdout).toMatch(/token\.create/);
    const db = new Database(join(D, 'kss.db'));
    db.prepare("UPDATE audit SET actor = 'someone-else' WHERE seq = 2").run();
    db.close();
    const bad = kss(['keyserver', 'audit', '--verify', ...dd]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/entry 2 was modified/);
  });

  it('commands on a directory without a keyserver say how to create one', () => {
    const r = kss(['keyserver', 'status', '--data-dir', join(tmp, 'empty')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/kss keyserver create/);
  });
});
