/** `kss test --coverage` (text, json, file, --coverage-min) and test cases that start with quota counts, end to end. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { coverageGaps, readCoverageFile } from '../../compiler/coverage.js';
import { folder, kss } from '../cli-eval/cli.js';

// decrypt: 0 finance (meta + throttle), 1 admins (profile), 2 never (reject); search: 0 approve.
const POLICY = `decrypt:
- - rule: meta-rule
    paths: [/finance]
  - rule: per-profile-throttle-rule
    rule_id: fin
    per_hour: 2
- - rule: profile-id-rule
    profile_ids: [00112233445566778899aabbccddeeff]
- - rule: reject-rule
search:
- - rule: approve-rule
`;
const ALICE = '{profile_id: ab}';
const TESTS = `policy: p.yml
tz: UTC
cases:
  - name: finance
    at: 2022-03-15T10:00:00Z
    request: {request_type: decrypt, profile: ${ALICE}, auth_meta: [{meta: finance/x, complete: true}]}
    expect: {approved: true, rule_set: 0}
  - name: hr is refused
    at: 2022-03-15T10:00:00Z
    request: {request_type: decrypt, profile: ${ALICE}, auth_meta: [{meta: hr/x, complete: true}]}
    expect: {approved: false}
`;

describe('kss test --coverage', () => {
  it('counts rule sets and rules reached and rule sets approved, per request type (json)', () => {
    const dir = folder({ 'p.yml': POLICY, 't.test.yml': TESTS });
    const r = kss(['test', 't.test.yml', '--coverage', '--format', 'json'], undefined, dir);
    expect(r.status).toBe(0);
    const { files, coverage } = JSON.parse(r.stdout);
    expect(files[0].cases.every((c: { passed: boolean }) => c.passed)).toBe(true);
    const [p] = coverage.policies;
    expect(p.policy).toBe('p.yml');
    const decrypt = p.request_types.find((t: { request_type: string }) => t.request_type === 'decrypt');
    expect(decrypt.rule_sets.map((s: { reached: boolean; approved: boolean }) => [s.reached, s.approved])).toEqual([[true, true], [true, false], [true, false]]);
    expect(decrypt.rule_sets[0].rules.map((x: { reached: boolean }) => x.reached)).toEqual([true, true]);
    // rule sets: 4, approved 1; rules: 5, reached 4 (search's approve-rule is not): (1 + 4) / 9
    expect(p.totals).toEqual({ rule_sets: 4, rule_sets_reached: 3, rule_sets_approved: 1, rules: 5, rules_reached: 4, percent: 55.5 });
  });

  it('text lists the totals and every rule set no case reached or saw approve', () => {
    const dir = folder({ 'p.yml': POLICY, 't.test.yml': TESTS });
    const r = kss(['test', 't.test.yml', '--coverage'], undefined, dir);
    expect(r.stdout).toContain('2 passed, 0 failed');
    expect(r.stdout).toContain('p.yml: 55.5% (rule sets reached 3/4, approved 1/4; rules reached 4/5)');
    expect(r.stdout).toContain('decrypt: rule sets approved 1/3, rules reached 4/4');
    expect(r.stdout).toContain('no test case is approved by rule set 1 of `decrypt`');
    expect(r.stdout).toContain('no test case reaches rule set 0 of `search`');
  });

  it('--coverage-min fails the run below it and passes at or above it; a bad value is misuse', () => {
    const dir = folder({ 'p.yml': POLICY, 't.test.yml': TESTS });
    const low = kss(['test', 't.test.yml', '--coverage-min', '60'], undefined, dir);
    expect(low.status).toBe(1);
    expect(low.stderr).toContain('coverage of p.yml is 55.5%, below --coverage-min 60%');
    expect(kss(['test', 't.test.yml', '--coverage-min', '55.5'], undefined, dir).status).toBe(0);
    const bad = kss(['test', 't.test.yml', '--coverage-min', 'most'], undefined, dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--coverage-min must be a percentage from 0 to 100, not `most`');
  });

  it('--coverage-file writes the file the language server reads, policy paths relative to it', () => {
    const dir = folder({ 'p.yml': POLICY, 't.test.yml': TESTS });
    kss(['test', 't.test.yml', '--coverage-file', 'kss-coverage.json'], undefined, dir);
    const file = readCoverageFile(readFileSync(join(dir, 'kss-coverage.json'), 'utf8'));
    expect(file?.policies[0]?.policy).toBe('p.yml');
    expect(coverageGaps(file!.policies[0]!).map((g) => `${g.requestType}/${g.ruleSet}`)).toEqual(['decrypt/1', 'decrypt/2', 'search/0']);
  });

  it('two test files of one policy add up', () => {
    const more = `policy: p.yml\ncases:\n  - {at: 2022-03-15T10:00:00Z, request: {request_type: search}, expect: {approved: true, rule_set: 0}}\n`;
    const dir = folder({ 'p.yml': POLICY, 'a.test.yml': TESTS, 'b.test.yml': more });
    const { coverage } = JSON.parse(kss(['test', '.', '--coverage', '--format', 'json'], undefined, dir).stdout);
    expect(coverage.policies).toHaveLength(1);
    expect(coverage.policies[0].totals.rule_sets_approved).toBe(2);
  });
});

describe('kss test: cases that start with quota counts', () => {
  const seeded = (quota: string) => `policy: p.yml
tz: UTC
cases:
  - name: one use left this hour
    quota: ${quota}
    steps:
      - {at: 2022-03-15T10:10:00Z, request: &r {request_type: decrypt, profile: ${ALICE}, auth_meta: [{meta: finance/x, complete: true}]}, expect: {approved: true, rule_set: 0}}
      - {at: 2022-03-15T10:20:00Z, request: *r, expect: {approved: false}}
      - {at: 2022-03-15T11:00:00Z, request: *r, expect: {approved: true}}
`;

  it('counts them in the first step\'s hour (profile ids in any case)', () => {
    const dir = folder({ 'p.yml': POLICY, 't.test.yml': seeded('[{rule_id: fin, profile_id: AB, hour_count: 1, day_count: 1}]') });
    const r = kss(['test', 't.test.yml'], undefined, dir);
    expect(r.stdout).toContain('1 passed, 0 failed');
  });

  it('without the counts the same case fails (the seed is what made it pass)', () => {
    const dir = folder({ 'p.yml': POLICY, 't.test.yml': seeded('[]') });
    expect(kss(['test', 't.test.yml'], undefined, dir).stdout).toContain('step 2: expected denied, got approved by rule set 0');
  });

  it('a malformed entry says which one and what the shape is', () => {
    const dir = folder({ 'p.yml': POLICY, 't.test.yml': seeded('[{rule_id: fin, profile_id: ab, hour_count: -1}]') });
    const r = kss(['test', 't.test.yml'], undefined, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('quota entry 1: `quota` must be a list of {rule_id, profile_id, hour_count, day_count} (counts are whole numbers from 0)');
  });
});

describe('schemas/policy-test.schema.json', () => {
  it('accepts every example test file and refuses a misspelled quota field', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const { readdirSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(JSON.parse(readFileSync('schemas/request.schema.json', 'utf8')));
    const validate = ajv.compile(JSON.parse(readFileSync('schemas/policy-test.schema.json', 'utf8')));
    const files = readdirSync('examples/tests').filter((f) => f.endsWith('.test.yml'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const doc = JSON.parse(JSON.stringify(parse(readFileSync(join('examples/tests', f), 'utf8'))));
      expect([f, validate(doc), validate.errors]).toEqual([f, true, null]);
    }
    const bad = { policy: 'p.yml', cases: [{ quota: [{ rule_id: 'x', profile_id: 'ab', hours: 1 }], steps: [{ at: 'x', request: { request_type: 'decrypt' }, expect: { approved: true } }] }] };
    expect(validate(bad)).toBe(false);
  });
});
