/** `kss check` end to end: formats, exit statuses, folders, config, colours. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { buildCli, kss, kssCommand, removeCli } from './cli.js';

let dir: string;
const BAD = 'decrypt:\n- - rule: per-profile-throttle-rule\n    per_days: 5\n';
const WARN = 'decrypt:\n- - rule: per-profile-throttle-rule\n    per_day: 5\n';
const CLEAN = 'decrypt:\n- - rule: approve-rule\n';

beforeAll(async () => {
  await buildCli();
  dir = mkdtempSync(join(tmpdir(), 'kss-check-'));
  writeFileSync(join(dir, 'bad.yml'), BAD);
  writeFileSync(join(dir, 'warn.yml'), WARN);
  writeFileSync(join(dir, 'clean.yml'), CLEAN);
}, 60_000);
afterAll(removeCli);

describe('kss check', () => {
  it('prints compiler-style text with the source line and a caret, and exits 1 on an error', () => {
    const run = kss(['check', 'bad.yml'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe([
      'bad.yml:2:11: warning[KSS3005]: throttle rule has no explicit `rule_id`, so its counts reset whenever its text changes',
      '  2 | - - rule: per-profile-throttle-rule',
      '    |           ^^^^^^^^^^^^^^^^^^^^^^^^^',
      `  = help: add \`rule_id: c197eb0c8ca8f42cd144b8334d3e4f6d\` (its current id, which keeps the counts it has now) or a readable id`,
      '',
      'bad.yml:3:5: error[KSS1104]: unknown argument `per_days` for `per-profile-throttle-rule`',
      '  3 |     per_days: 5',
      '    |     ^^^^^^^^',
      '  = help: did you mean `per_day`?',
      '',
      'checked 1 file: 1 error, 1 warning',
      '',
    ].join('\n'));
  });

  it('exits 0 when nothing reaches --fail-level, 1 when something does', () => {
    expect(kss(['check', 'warn.yml'], { cwd: dir }).status).toBe(0);
    expect(kss(['check', 'warn.yml', '--fail-level', 'warning'], { cwd: dir }).status).toBe(1);
    expect(kss(['check', 'bad.yml', '--fail-level', 'never'], { cwd: dir }).status).toBe(0);
    const clean = kss(['check', 'clean.yml'], { cwd: dir });
    expect([clean.status, clean.stdout]).toEqual([0, 'checked 1 file: no problems\n']);
  });

  it('exits 2 for misuse: no such file, unknown format, bad count', () => {
    const missing = kss(['check', 'nope.yml'], { cwd: dir });
    expect([missing.status, missing.stderr]).toEqual([2, 'kss: no such file or folder: nope.yml\n']);
    expect(kss(['check', 'bad.yml', '--format', 'xml'], { cwd: dir }).status).toBe(2);
    expect(kss(['check', 'bad.yml', '--fail-level', 'fatal'], { cwd: dir }).status).toBe(2);
    expect(kss(['check', 'bad.yml', '--max-diagnostics', '0'], { cwd: dir }).status).toBe(2);
  });

  it('writes JSON as an array of {file, code, severity, message, help?, range}', () => {
    const run = kss(['check', 'bad.yml', '--format', 'json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        file: 'bad.yml', code: 'KSS3005', severity: 'warning',
        message: 'throttle rule has no explicit `rule_id`, so its counts reset whenever its text changes',
        help: 'add `rule_id: c197eb0c8ca8f42cd144b8334d3e4f6d` (its current id, which keeps the counts it has now) or a readable id',
        range: { start: { line: 2, column: 11 }, end: { line: 2, column: 36 } },
      },
      {
        file: 'bad.yml', code: 'KSS1104', severity: 'error', message: 'unknown argument `per_days` for `per-profile-throttle-rule`',
        help: 'did you mean `per_day`?', range: { start: { line: 3, column: 5 }, end: { line: 3, column: 13 } },
      },
    ]);
  });

  it('writes SARIF 2.1.0 with rules and located results', () => {
    const log = JSON.parse(kss(['check', 'bad.yml', '--format', 'sarif'], { cwd: dir }).stdout);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('kss');
    expect(run.tool.driver.rules.map((r: { id: string; name: string }) => [r.id, r.name])).toEqual([['KSS1104', 'unknown-argument'], ['KSS3005', 'throttle-without-rule-id']]);
    expect(run.results[1]).toEqual({
      ruleId: 'KSS1104', ruleIndex: 0, level: 'error',
      message: { text: 'unknown argument `per_days` for `per-profile-throttle-rule`\ndid you mean `per_day`?' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'bad.yml' }, region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 13 } } }],
    });
  });

  it('writes GitHub workflow annotations, escaped', () => {
    const run = kss(['check', 'bad.yml', '--format', 'github'], { cwd: dir });
    expect(run.stdout.split('\n')[1]).toBe('::error file=bad.yml,line=3,col=5,endLine=3,endColumn=13,title=KSS1104::unknown argument `per_days` for `per-profile-throttle-rule`%0Adid you mean `per_day`?');
  });

  it('expands a folder to the policies directly inside it', () => {
    const folder = join(dir, 'policies');
    mkdirSync(join(folder, 'tests'), { recursive: true });
    writeFileSync(join(folder, 'a.yml'), CLEAN);
    writeFileSync(join(folder, 'b.yaml'), CLEAN);
    writeFileSync(join(folder, 'c.keyserver.json'), '{"decrypt": [[{"rule": "approve-rule"}]]}');
    writeFileSync(join(folder, 'package.json'), '{"name": "not a policy"}');
    writeFileSync(join(folder, '.kss.yml'), 'severity: {}\n');
    writeFileSync(join(folder, 'tests', 'case.yml'), 'not: a policy\n');
    const run = kss(['check', 'policies', '--format', 'json', '--fail-level', 'hint'], { cwd: dir });
    expect([run.status, run.stdout]).toEqual([0, '[]\n']);
    expect(kss(['check', 'policies'], { cwd: dir }).stdout).toBe('checked 3 files: no problems\n');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(kss(['check', 'empty'], { cwd: dir }).status).toBe(2);
  });

  it('applies the nearest config file and reports problems in it', () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'policies'), { recursive: true });
    writeFileSync(join(project, '.kss.yml'), 'severity:\n  KSS3005: error\n');
    writeFileSync(join(project, 'policies', 'p.yml'), WARN);
    const run = kss(['check', 'project/policies/p.yml', '--format', 'json'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).map((d: { code: string; severity: string }) => [d.code, d.severity])).toEqual([['KSS3005', 'error']]);
    writeFileSync(join(project, '.kss.yml'), 'severity:\n  KSS3005: loud\n');
    const broken = JSON.parse(kss(['check', 'project/policies/p.yml', '--format', 'json'], { cwd: dir }).stdout);
    expect(broken.map((d: { file: string; code: string }) => [d.file, d.code])).toEqual([['project/.kss.yml', 'KSS9003'], ['project/policies/p.yml', 'KSS3005']]);
    // --config overrides the search.
    writeFileSync(join(dir, 'quiet.yml'), 'severity:\n  throttle-without-rule-id: off\n');
    expect(kss(['check', 'project/policies/p.yml', '--config', 'quiet.yml'], { cwd: dir }).stdout).toBe('checked 1 file: no problems\n');
  });

  it('colours text only when asked or on a terminal, and never with NO_COLOR', () => {
    expect(kss(['check', 'bad.yml'], { cwd: dir }).stdout).not.toContain('\u001b[');
    expect(kss(['check', 'bad.yml'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[31merror[KSS1104]\u001b[0m');
    expect(kss(['check', 'bad.yml'], { cwd: dir, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    expect(kss(['check', 'bad.yml', '--no-color'], { cwd: dir, env: { FORCE_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    expect(kss(['check', 'bad.yml'], { cwd: dir, env: { FORCE_COLOR: '0' } }).stdout).not.toContain('\u001b[');
  });

  it('checks every example policy clean, warnings included', () => {
    const run = kss(['check', 'examples', '--fail-level', 'hint']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('stops quietly when the reader closes the pipe early (`kss check | head`)', async () => {
    const many = join(dir, 'many.yml');
    writeFileSync(many, `decrypt:\n${'- - rule: per-profile-throttle-rule\n    per_day: 5\n'.repeat(3000)}`);
    const [node, args] = kssCommand(['check', many, '--max-diagnostics', '5000']);
    const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('reads a policy from standard input with `-`, named by --stdin-filename', () => {
    const named = kss(['check', '-', '--stdin-filename', 'team/keyserver.yml', '--format', 'json'], { cwd: dir, input: BAD });
    expect(named.status).toBe(1);
    expect(JSON.parse(named.stdout).map((d: { file: string; code: string }) => [d.file, d.code])).toEqual([['team/keyserver.yml', 'KSS3005'], ['team/keyserver.yml', 'KSS1104']]);
    const anonymous = kss(['check', '-'], { cwd: dir, input: CLEAN });
    expect([anonymous.status, anonymous.stdout]).toEqual([0, 'checked 1 file: no problems\n']);
  });

  // SPEC 4.3: what the server's zone decides is exact with --tz (runtime/time describes the zone).
  it('with --tz, the zone-dependent checks are exact; without it they warn; a zone that is none is misuse', () => {
    writeFileSync(join(dir, 'est.yml'), 'decrypt:\n- - rule: time-range-rule\n    time_start: 9:00am EST\n    time_end: 5:00pm EST\n');
    const codes = (args: string[]) => JSON.parse(kss(['check', 'est.yml', '--format', 'json', ...args], { cwd: dir }).stdout).map((d: { code: string }) => d.code);
    expect(codes(['--tz', 'America/New_York'])).toEqual(['KSS2015', 'KSS2015']);
    expect(codes(['--tz', 'Europe/Berlin'])).toEqual(['KSS3007', 'KSS3007']);
    expect(codes([])).toEqual(['KSS3007', 'KSS3007']);
    expect(kss(['check', 'est.yml', '--tz', 'America/New_York'], { cwd: dir }).status).toBe(1);
    const bogus = kss(['check', 'est.yml', '--tz', 'Mars/Base'], { cwd: dir });
    expect(bogus.status).toBe(2);
    expect(bogus.stderr).toContain('unknown time zone `Mars/Base`');
  });

  it('explains a code or a check id, and refuses an unknown one', () => {
    const byCode = kss(['check', '--explain', 'KSS3005']);
    expect(byCode.status).toBe(0);
    expect(byCode.stdout.split('\n')[0]).toBe('KSS3005 throttle-without-rule-id (default: warning)');
    expect(byCode.stdout).toContain('More: docs/diagnostics/KSS3005.md');
    expect(kss(['check', '--explain', 'throttle-without-rule-id']).stdout).toBe(byCode.stdout);
    const unknown = kss(['check', '--explain', 'KSS0000']);
    expect([unknown.status, unknown.stderr]).toEqual([2, 'kss: unknown code or check id `KSS0000` (see docs/diagnostics/README.md)\n']);
  });
});
