/**
 * Bad input never crashes or hangs `kss check`: binary garbage, a 50 MB file, deeply nested YAML,
 * and a policy of 100,000 errors each end in a clear message or a capped list, with exit status 1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePolicy } from '../../compiler/analyze.js';
import { buildCli, kss, removeCli } from './cli.js';
import { aliasBomb } from '../support/hostile.js';

let dir: string;
beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'kss-bad-'));
}, 60_000);
afterAll(() => {
  removeCli();
  rmSync(dir, { recursive: true, force: true });
});

function codes(json: string): string[] {
  return (JSON.parse(json) as Array<{ code: string }>).map((d) => d.code);
}

describe('kss check on bad input', () => {
  it('binary garbage: not text', () => {
    // Random bytes with a NUL guaranteed somewhere in the middle.
    const bytes = randomBytes(64 * 1024);
    bytes[1000] = 0;
    writeFileSync(join(dir, 'garbage.yml'), bytes);
    const run = kss(['check', 'garbage.yml', '--format', 'json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(codes(run.stdout)).toEqual(['KSS1009']);
  });

  it('a 50 MB file: too large, answered quickly', () => {
    writeFileSync(join(dir, 'big.yml'), `decrypt:\n${'- - rule: approve-rule\n'.repeat((50 * 1024 * 1024) / 23)}`);
    const started = Date.now();
    const run = kss(['check', 'big.yml', '--format', 'json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(codes(run.stdout)).toEqual(['KSS1008']);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('deeply nested YAML: one diagnostic, no stack trace', () => {
    writeFileSync(join(dir, 'deep.yml'), `decrypt:\n- - rule: meta-rule\n    paths: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    const run = kss(['check', 'deep.yml'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^deep\.yml:\d+:\d+: error\[KSS10\d\d\]: /);
    expect(run.stdout).toContain('error[KSS1012]: the document is nested more than 64 levels deep here');
    // Nesting within the limit is checked normally.
    const nested = analyzePolicy(`decrypt:\n- - rule: meta-rule\n    paths: ${'['.repeat(40)}x${']'.repeat(40)}\n`, 'p.yml');
    expect(nested.diagnostics.map((d) => d.code)).toEqual(['KSS1105']);
  });

  it('a YAML alias bomb: one diagnostic, in a process with a 256 MB heap (today it took gigabytes)', () => {
    const run = kss(['check', '-', '--format', 'json'], { cwd: dir, input: aliasBomb(), env: { NODE_OPTIONS: '--max-old-space-size=256' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).map((d: { code: string }) => d.code)).toEqual(['KSS1010']);
  });

  it('a policy that is not UTF-8: check, compile and fmt refuse it at the byte (it loaded with U+FFFD before)', () => {
    const latin1 = Buffer.concat([Buffer.from('decrypt:\n- - rule: meta-rule\n    paths: [/caf'), Buffer.from([0xe9]), Buffer.from(']\n')]);
    writeFileSync(join(dir, 'keyserver.yml'), latin1);
    const check = kss(['check', 'keyserver.yml'], { cwd: dir });
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/^keyserver\.yml:3:17: error\[KSS1011\]: the file is not valid UTF-8: byte 0xE9/);
    const compile = kss(['compile', 'keyserver.yml'], { cwd: dir });
    expect(compile.status).toBe(1);
    expect(compile.stderr).toContain('keyserver.yml:3:17: error[KSS1011]');
    const fmt = kss(['fmt', 'keyserver.yml'], { cwd: dir });
    expect(fmt.status).toBe(1);
    expect(fmt.stderr).toContain('keyserver.yml:3:17: error[KSS1011]');
    expect(readFileSync(join(dir, 'keyserver.yml'))).toEqual(latin1);
  });

  it('a policy of 100,000 errors: the first 1000 and a note', () => {
    const lines = ['decrypt:'];
    for (let i = 0; i < 25_000; i++) lines.push('- - rule: meta-rule', '    pathz: 1', '    per_day: x', '    case_sensitive: maybe');
    writeFileSync(join(dir, 'errors.yml'), `${lines.join('\n')}\n`);
    const run = kss(['check', 'errors.yml', '--format', 'json'], { cwd: dir });
    expect(run.status).toBe(1);
    const found = codes(run.stdout);
    expect(found).toHaveLength(1001);
    expect(found.at(-1)).toBe('KSS9002');
    expect(JSON.parse(run.stdout).at(-1).message).toBe('99000 more diagnostics not shown (limit 1000 per file)');
  });

  it('an empty file and a file of comments: the policy is empty', () => {
    writeFileSync(join(dir, 'empty.yml'), '');
    writeFileSync(join(dir, 'comments.yml'), '# nothing yet\n');
    const run = kss(['check', 'empty.yml', 'comments.yml', '--format', 'json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(codes(run.stdout)).toEqual(['KSS1003', 'KSS1003']);
  });
});
