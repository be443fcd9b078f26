/** `kss fmt` end to end: the built CLI on real files. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from '../support/shared.js';

const KSS = join(REPO_DIR, 'bin', 'kss.js');
const dir = mkdtempSync(join(tmpdir(), 'kss-fmt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kss = (args: string[], input?: string) => spawnSync(process.execPath, [KSS, ...args], { cwd: dir, encoding: 'utf8', input });

const messy = 'decrypt:\n- - per_day: 5 # five a day\n    rule: per-profile-throttle-rule\n';
const tidy = 'decrypt:\n  - - rule: per-profile-throttle-rule\n      per_day: 5 # five a day\n';

describe('kss fmt', () => {
  it('--check exits 1 and names the files that would change, changing nothing', () => {
    writeFileSync(join(dir, 'a.keyserver.yml'), messy);
    writeFileSync(join(dir, 'b.keyserver.yml'), tidy);
    const result = kss(['fmt', '--check', 'a.keyserver.yml', 'b.keyserver.yml']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('a.keyserver.yml: would be reformatted\n');
    expect(readFileSync(join(dir, 'a.keyserver.yml'), 'utf8')).toBe(messy);
  });

  it('rewrites in place, then --check passes', () => {
    writeFileSync(join(dir, 'keyserver.yml'), messy);
    const result = kss(['fmt', 'keyserver.yml']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('keyserver.yml: formatted\n');
    expect(readFileSync(join(dir, 'keyserver.yml'), 'utf8')).toBe(tidy);
    expect(kss(['fmt', '--check', 'keyserver.yml']).status).toBe(0);
  });

  it('a folder (the default `.`) means the policies directly in it, and no other YAML', () => {
    const folder = mkdtempSync(join(dir, 'folder-'));
    writeFileSync(join(folder, 'keyserver.yml'), messy);
    writeFileSync(join(folder, 'prod.keyserver.yaml'), messy);
    writeFileSync(join(folder, 'compose.yml'), 'services:   {}\n');
    const result = spawnSync(process.execPath, [KSS, 'fmt'], { cwd: folder, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('keyserver.yml: formatted\nprod.keyserver.yaml: formatted\n');
    expect(readFileSync(join(folder, 'prod.keyserver.yaml'), 'utf8')).toBe(tidy);
    expect(readFileSync(join(folder, 'compose.yml'), 'utf8')).toBe('services:   {}\n');
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(kss(['fmt', '--check', empty]).stderr).toContain('no policy files');
  });

  it('reads stdin and writes stdout with `-`', () => {
    expect(execFileSync(process.execPath, [KSS, 'fmt', '-'], { input: messy, encoding: 'utf8' })).toBe(tidy);
  });

  it('reports YAML errors with file, line and column and exits 1 without touching the file', () => {
    const broken = 'decrypt:\n  - - rule: approve-rule\n    bad: [\n';
    writeFileSync(join(dir, 'broken.keyserver.yml'), broken);
    const result = kss(['fmt', 'broken.keyserver.yml']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^broken\.keyserver\.yml:\d+:\d+: error\[KSS1001\]: /m);
    expect(result.stderr).toContain('not formatted');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(dir, 'broken.keyserver.yml'), 'utf8')).toBe(broken);
  });

  it('a missing file is a usage error with a message, not a stack trace', () => {
    const result = kss(['fmt', 'nope.yml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('kss: no such file or folder: nope.yml\n');
  });
});
