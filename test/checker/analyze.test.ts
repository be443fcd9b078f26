/** analyzePolicy: staging, severities from config, kss-ignore, ordering, the cap, internal errors. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePolicy } from '../../compiler/analyze.js';
import { findConfigFile, loadConfigWithDiagnostics, parseConfig } from '../../compiler/config.js';
import { CONFIG_FILES } from '../../cli/commands/check.js';
import { runChecks } from '../../compiler/checker/run.js';
import { REGISTRY } from '../../compiler/checker/registry.js';
import type { Check } from '../../compiler/checker/registry.js';
import { parsePolicy } from '../../compiler/source/parse.js';
import { yaml } from './rule-tester.js';

const codes = (text: string, options = {}) => analyzePolicy(text, 'p.yml', options).diagnostics.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`);

const throttle = yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_day: 5');

describe('analyzePolicy', () => {
  it('sorts diagnostics by position, mixing checks', () => {
    const text = yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_days: 5', 'serch: []');
    expect(codes(text)).toEqual(['2:KSS3005:warning', '3:KSS1104:error', '4:KSS1101:error']);
  });

  it('runs no semantic check on a file that did not parse', () => {
    const result = analyzePolicy('decrypt:\n- - rule: [unclosed\nserch: []\n', 'p.yml');
    expect(result.ast).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['KSS1001']);
  });

  it('takes severities from the config, by code or by check id, and drops `off`', () => {
    expect(codes(throttle, { config: { severity: { KSS3005: 'error' } } })).toEqual(['2:KSS3005:error']);
    expect(codes(throttle, { config: { severity: { 'throttle-without-rule-id': 'info' } } })).toEqual(['2:KSS3005:info']);
    expect(codes(throttle, { config: { severity: { KSS3005: 'off' } } })).toEqual([]);
  });

  it('honours `# kss-ignore` at the end of the line or on the line above, and only for the codes named', () => {
    const sameLine = yaml('decrypt:', '- - rule: per-profile-throttle-rule  # kss-ignore: KSS3005', '    per_day: 5');
    expect(codes(sameLine)).toEqual([]);
    const above = yaml('decrypt:', '# kss-ignore: throttle-without-rule-id, KSS1104', '- - rule: per-profile-throttle-rule', '    per_day: 5');
    expect(codes(above)).toEqual([]);
    const otherCode = yaml('decrypt:', '- - rule: per-profile-throttle-rule  # kss-ignore: KSS3001', '    per_day: 5');
    expect(codes(otherCode)).toEqual(['2:KSS3005:warning']);
    // A trailing comment covers its own line, not the next one.
    const trailing = yaml('decrypt:  # kss-ignore: KSS3005', '- - rule: per-profile-throttle-rule', '    per_day: 5');
    expect(codes(trailing)).toEqual(['2:KSS3005:warning']);
  });

  it('caps the list per file and says how many were left out', () => {
    const lines = ['decrypt:'];
    for (let i = 0; i < 2000; i++) lines.push(`- - rule: no-such-rule-${i}`);
    const result = analyzePolicy(yaml(...lines), 'p.yml', { maxDiagnostics: 50 });
    expect(result.diagnostics).toHaveLength(51);
    expect(result.diagnostics[50]).toMatchObject({ code: 'KSS9002', severity: 'info', message: '1950 more diagnostics not shown (limit 50 per file)' });
  });

  it('turns a check that throws into one internal-error diagnostic and runs the others', () => {
    const broken: Check = { id: 'broken', code: 'KSS3999', meta: { description: 'x', defaultSeverity: 'warning', docs: { summary: '' } }, check: () => { throw new Error('boom'); } };
    const { ast } = parsePolicy(throttle, 'p.yml');
    const diagnostics = runChecks(ast!, [broken, ...REGISTRY]);
    expect(diagnostics.map((d) => d.code)).toEqual(['KSS9001', 'KSS3005']);
    expect(diagnostics[0]!.message).toBe('internal error in check `broken`: boom');
  });
});

describe('config', () => {
  it('parses severities and reports bad levels and keys', () => {
    expect(parseConfig('severity:\n  KSS3005: off\n  unreachable-rule-set: error\n')).toEqual({ config: { severity: { KSS3005: 'off', 'unreachable-rule-set': 'error' } }, diagnostics: [] });
    const bad = parseConfig('severity:\n  KSS3005: loud\nrules: {}\n');
    expect(bad.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['KSS9003', 'severity of `KSS3005` must be error, warning, info, hint or off, not `loud`'],
      ['KSS9003', 'unknown config key `rules`'],
    ]);
    expect(parseConfig('').config).toEqual({ severity: {} });
    expect(parseConfig('severity: [').diagnostics[0]!.code).toBe('KSS9003');
  });

  it('finds the nearest config file upward from the policy', () => {
    const root = mkdtempSync(join(tmpdir(), 'kss-config-'));
    mkdirSync(join(root, 'team', 'policies'), { recursive: true });
    writeFileSync(join(root, '.kss.yml'), 'severity:\n  KSS3005: off\n');
    writeFileSync(join(root, 'team', 'kss.config.yml'), 'severity:\n  KSS3005: error\n');
    expect(findConfigFile(join(root, 'team', 'policies', 'keyserver.yml'), CONFIG_FILES)).toBe(join(root, 'team', 'kss.config.yml'));
    expect(loadConfigWithDiagnostics(join(root, 'team', 'policies', 'keyserver.yml'), CONFIG_FILES).config).toEqual({ severity: { KSS3005: 'error' } });
    expect(loadConfigWithDiagnostics(join(root, 'keyserver.yml'), CONFIG_FILES).config).toEqual({ severity: { KSS3005: 'off' } });
    writeFileSync(join(root, 'team', 'kss.config.yml'), 'severity: nope\n');
    expect(loadConfigWithDiagnostics(join(root, 'team', 'x.yml'), CONFIG_FILES).diagnostics).toHaveLength(1);
  });

  it('asks the edge for files: the compiler reads none itself', () => {
    const asked: string[] = [];
    const files = { exists: (path: string) => (asked.push(path), path === '/a/.kss.yml'), read: () => 'severity:\n  KSS3005: hint\n' };
    expect(loadConfigWithDiagnostics('/a/b/keyserver.yml', files)).toMatchObject({ path: '/a/.kss.yml', config: { severity: { KSS3005: 'hint' } } });
    expect(asked.slice(0, 2)).toEqual(['/a/b/.kss.yml', '/a/b/.kss.yaml']);
  });
});

describe('config diagnostics point at the problem', () => {
  it('marks the bad level and the unknown key', () => {
    const { diagnostics } = parseConfig('severity:\n  KSS3005: loud\nrules: {}\n');
    expect(diagnostics.map((d) => [d.range.start.line, d.range.start.column, d.range.end.column])).toEqual([[2, 12, 16], [3, 1, 6]]);
  });
});

describe('config keys are checked', () => {
  it('reports an unknown code or check id with a suggestion', () => {
    const { config, diagnostics } = parseConfig('severity:\n  KSS3050: off\n  unreachable-ruleset: off\n  KSS3001: info\n');
    expect(config.severity).toEqual({ KSS3001: 'info' });
    expect(diagnostics.map((d) => [d.message, d.help])).toEqual([
      ['unknown code or check id `KSS3050`', 'did you mean `KSS3005`?'],
      ['unknown code or check id `unreachable-ruleset`', 'did you mean `unreachable-rule-set`?'],
    ]);
  });
});
