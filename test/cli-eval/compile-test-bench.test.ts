/** `kss compile` (artifact, --dump), `kss test` (formats, exit status) and `kss bench` end to end. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { folder, kss } from './cli.js';

const POLICY = `decrypt:
  - - rule: meta-rule
      paths: ['/finance']
    - rule: per-profile-throttle-rule
      per_day: 1
  - - rule: meta-rule
      paths: ['/finance']
    - rule: per-profile-throttle-rule
      per_day: 1
`;

describe('kss compile', () => {
  it('writes a versioned artifact that eval loads without the source', () => {
    const dir = folder({ 'p.yml': POLICY, 'r.jsonl': '{"request_type":"decrypt","profile":{"profile_id":"ab"},"auth_meta":[{"meta":"finance/x","complete":true}]}\n' });
    expect(kss(['compile', 'p.yml', '-o', 'p.json'], undefined, dir).status).toBe(0);
    const artifact = JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8'));
    expect(artifact).toMatchObject({ format: 'kss-program', version: 1 });
    expect(artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Two identical rules: the second gets `.2` (SPEC §5).
    const [[meta1, throttle1], [meta2, throttle2]] = artifact.ruleIds.decrypt;
    expect([meta2, throttle2]).toEqual([`${meta1}.2`, `${throttle1}.2`]);
    const out = kss(['eval', '-p', 'p.json', '-r', 'r.jsonl', '--tz', 'UTC'], undefined, dir);
    expect(JSON.parse(out.stdout)).toMatchObject({ approved: true, rule_set: 0 });
  });

  it('--dump prints every rule with its rule_id, as YAML or JSON', () => {
    const dir = folder({ 'p.yml': POLICY });
    const json = JSON.parse(kss(['compile', 'p.yml', '--dump', '--format', 'json'], undefined, dir).stdout);
    expect(Object.keys(json)).toEqual(['decrypt']);
    expect(json.decrypt[0][0]).toEqual({ rule: 'meta-rule', rule_id: expect.stringMatching(/^[0-9a-f]{32}$/), paths: ['/finance'] });
    expect(json.decrypt[1][1].rule_id).toBe(`${json.decrypt[0][1].rule_id}.2`);
    const yaml = parse(kss(['compile', 'p.yml', '--dump'], undefined, dir).stdout);
    expect(yaml).toEqual(json);
  });

  it('--dump keeps a numeric rule_id a number, as the reference does (SPEC 5)', () => {
    const dir = folder({ 'p.yml': "decrypt:\n  - - rule: approve-rule\n      rule_id: 42\n    - rule: reject-rule\n      rule_id: '43'\n" });
    const json = JSON.parse(kss(['compile', 'p.yml', '--dump', '--format', 'json'], undefined, dir).stdout);
    expect(json.decrypt[0].map((r: { rule_id: unknown }) => r.rule_id)).toEqual([42, '43']);
    expect(parse(kss(['compile', 'p.yml', '--dump'], undefined, dir).stdout).decrypt[0][0].rule_id).toBe(42);
  });
});

describe('kss test', () => {
  const TESTS = `policy: p.yml
tz: UTC
cases:
  - name: first use of the day
    at: 2022-03-15T10:00:00Z
    request: {request_type: decrypt, profile: {profile_id: ab}, auth_meta: [{meta: finance/x, complete: true}]}
    expect: {approved: true, rule_set: 0, rule_ids: [2de93451d6f1231767a8194a946e8ffb, b8b2cfa472dbbd74622f964ce0ab19bf]}
  - name: a sequence moves on to the second throttle, then runs out
    steps:
      - {at: 2022-03-15T10:00:00Z, request: &r {request_type: decrypt, profile: {profile_id: ab}, auth_meta: [{meta: finance/x, complete: true}]}, expect: {approved: true, rule_set: 0}}
      - {at: 2022-03-15T11:00:00Z, request: *r, expect: {approved: true, rule_set: 1}}
      - {at: 2022-03-15T12:00:00Z, request: *r, expect: {approved: false}}
  - name: a wrong expectation fails
    at: 2022-03-15T10:00:00Z
    request: {request_type: decrypt, profile: {profile_id: ab}, auth_meta: [{meta: hr/x, complete: true}]}
    expect: {approved: true}
`;

  it('runs cases and sequences, exits 1 on a failure, text/json/junit', () => {
    const dir = folder({ 'p.yml': POLICY, 't.test.yml': TESTS });
    const text = kss(['test', 't.test.yml'], undefined, dir);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('PASS first use of the day');
    expect(text.stdout).toContain('PASS a sequence moves on to the second throttle, then runs out');
    expect(text.stdout).toContain('FAIL a wrong expectation fails');
    expect(text.stdout).toContain('expected approved, got denied');
    expect(text.stdout).toContain('2 passed, 1 failed');
    const json = JSON.parse(kss(['test', 't.test.yml', '--format', 'json'], undefined, dir).stdout);
    expect(json[0].cases.map((c: { passed: boolean }) => c.passed)).toEqual([true, true, false]);
    const junit = kss(['test', '.', '--format', 'junit'], undefined, dir).stdout;
    expect(junit).toContain('<testsuites name="kss test" tests="3" failures="1">');
    expect(junit).toContain('<failure message="expected approved, got denied">');
  });

  it('the example policies pass their tests', () => {
    const r = kss(['test', 'examples/tests']);
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(r.status).toBe(0);
  });

  it('compiles the policy in the test file\'s zone: a time_start that zone puts after time_end is refused (SPEC 4.3)', () => {
    // 13:30Z vs 9:00 in New York: in order in winter (14:00Z), not in summer (13:00Z).
    const policy = "decrypt:\n- - rule: time-range-rule\n    time_start: 13:30Z\n    time_end: '9:00'\n";
    const tests = (tz: string) => `policy: p.yml\ntz: ${tz}\ncases:\n  - at: 2022-01-15T13:45:00Z\n    request: {request_type: decrypt, profile: {profile_id: ab}}\n    expect: {approved: true}\n`;
    const dir = folder({ 'p.yml': policy, 'ny.test.yml': tests('America/New_York'), 'la.test.yml': tests('America/Los_Angeles') });
    const ny = kss(['test', 'ny.test.yml'], undefined, dir);
    expect(ny.status).toBe(1);
    expect(ny.stderr).toContain('error[KSS2004]');
    // In Los Angeles 9:00 is 17:00Z or 16:00Z, after 13:30Z all year: it loads and decides.
    const la = kss(['test', 'la.test.yml'], undefined, dir);
    expect(la.stdout).toContain('1 passed, 0 failed');
    expect(la.status).toBe(0);
  });

  it('a broken test file is a failure that says what is wrong', () => {
    const dir = folder({ 't.test.yml': 'cases: []\n' });
    const r = kss(['test', 't.test.yml'], undefined, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('`policy` (the policy file, relative to the test file) is required');
  });
});

describe('kss bench', () => {
  it('ends with a JSON line of decisions, seconds, decisions_per_second, p50_us, p99_us', () => {
    const dir = folder({ 'p.yml': POLICY, 'r.jsonl': '{"request_type":"decrypt","profile":{"profile_id":"ab"},"auth_meta":[{"meta":"finance/x","complete":true}]}\n' });
    const r = kss(['bench', '-p', 'p.yml', '-r', 'r.jsonl', '--seconds', '0.4', '--format', 'json'], undefined, dir);
    expect(r.status).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(last.decisions).toBeGreaterThan(1000);
    expect(last.decisions_per_second).toBeGreaterThan(0);
    expect(last.p50_us).toBeGreaterThan(0);
    expect(last.p99_us).toBeGreaterThanOrEqual(last.p50_us);
    expect(last.seconds).toBeGreaterThan(0);
  });
});
