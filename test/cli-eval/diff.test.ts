/** `kss diff` as a real process: formats, exit statuses, git revisions, bad input. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { folder, kss } from './cli.js';

const OLD = 'decrypt:\n  - - rule: meta-rule\n      paths: ["/finance", "/hr"]\n';
const SAME = 'decrypt:\n  - - rule: meta-rule\n      paths: ["/hr", "/finance"]\n';
const NEW = 'decrypt:\n  - - rule: meta-rule\n      paths: ["/finance"]\n';

describe('kss diff', () => {
  const dir = folder({ 'old.yml': OLD, 'same.yml': SAME, 'new.yml': NEW, 'bad.yml': 'decrypt:\n  - - rule: nope-rule\n' });

  test('equivalent policies: "no change in decisions", exit 0', () => {
    const r = kss(['diff', 'old.yml', 'same.yml', '--tz', 'UTC'], undefined, dir);
    expect(r.stdout).toContain('no change in decisions');
    expect(r.status).toBe(0);
  });

  test('json: changes with witnesses that kss eval decides differently, exit 1', () => {
    const r = kss(['diff', 'old.yml', 'new.yml', '--format', 'json', '--tz', 'UTC'], undefined, dir);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.changes).toHaveLength(1);
    const w = report.changes[0].witnesses[0];
    expect(w).toMatchObject({ old: { approved: true, rule_set: 0 }, new: { approved: false, rule_set: null } });
    writeFileSync(join(dir, 'w.jsonl'), `${JSON.stringify({ ...w.request, at: w.at })}\n`);
    const decided = (policy: string) => JSON.parse(kss(['eval', '--policy', policy, '--requests', 'w.jsonl', '--tz', 'UTC'], undefined, dir).stdout);
    expect(decided('old.yml')).toMatchObject(w.old);
    expect(decided('new.yml')).toMatchObject(w.new);
    expect(report.counters).toEqual({ kept: [], reset: [], fresh: [] });
  });

  test('markdown and github', () => {
    const md = kss(['diff', 'old.yml', 'new.yml', '--format', 'markdown', '--tz', 'UTC'], undefined, dir);
    expect(md.stdout).toMatch(/^### kss diff `old.yml` → `new.yml`/);
    expect(md.stdout).toContain('#### decrypt: approved by rule set 0 before, denied after');
    const gh = kss(['diff', 'old.yml', 'new.yml', '--format', 'github', '--tz', 'UTC'], undefined, dir);
    expect(gh.stdout).toMatch(/^::warning file=new.yml,title=kss diff%3A decrypt::approved by rule set 0 before, denied after/);
  });

  test('git revisions: main:keyserver.yml against the work tree', () => {
    const repo = folder({ 'keyserver.yml': OLD });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { cwd: repo, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', 'keyserver.yml');
    git('commit', '-qm', 'policy');
    writeFileSync(join(repo, 'keyserver.yml'), NEW);
    const r = kss(['diff', 'main:keyserver.yml', 'keyserver.yml', '--format', 'json', '--tz', 'UTC'], undefined, repo);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).changes).toHaveLength(1);
    const missing = kss(['diff', 'main:nothing.yml', 'keyserver.yml'], undefined, repo);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^kss: cannot read `main:nothing.yml` from git: /);
  });

  test('misuse exits 2 with a message, never a stack trace', () => {
    const bad = kss(['diff', 'old.yml', 'bad.yml'], undefined, dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad.yml:2:');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(kss(['diff', 'old.yml', 'missing.yml'], undefined, dir)).toMatchObject({ status: 2, stderr: 'kss: cannot read policy `missing.yml`: no such file\n' });
    expect(kss(['diff', 'old.yml', 'new.yml', '--format', 'html'], undefined, dir).status).toBe(2);
    expect(kss(['diff', 'old.yml', 'new.yml', '--tz', 'Mars/Base'], undefined, dir).status).toBe(2);
  });
});
