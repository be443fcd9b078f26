/** The console's page logic: highlighting, filters, labels, reading the simulator's input. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { highlight, highlightLine } from '../../console/src/lib/yaml-highlight.js';
import { auditSummary, diagnosticLabel, filterQuota, profileFilterProblem, profilesOf, readSimulatorInput, shortSha, type QuotaRow } from '../../console/src/lib/view.js';

describe('policy highlighting', () => {
  it('classes keys, strings, numbers, booleans, comments and anchors', () => {
    const cls = (line: string) => highlightLine(line).filter((t) => t.text.trim() !== '').map((t) => `${t.cls}:${t.text.trim()}`);
    expect(cls('  - - rule: meta-rule  # why')).toEqual(['punct:- -', 'key:rule', 'punct::', 'text:meta-rule', 'comment:# why']);
    expect(cls("      paths: ['/a', \"b\"]")).toEqual(['key:paths', 'punct::', 'punct:[', "string:'/a'", 'punct:,', 'string:"b"', 'punct:]']);
    expect(cls('      per_hour: 5')).toEqual(['key:per_hour', 'punct::', 'number:5']);
    expect(cls('      persistent: true')).toEqual(['key:persistent', 'punct::', 'bool:true']);
    expect(cls('    - &office-hours')).toEqual(['punct:-', 'anchor:&office-hours']);
    expect(cls('# a comment')).toEqual(['comment:# a comment']);
    expect(cls('      time_start: 8:00am')).toEqual(['key:time_start', 'punct::', 'text:8:00am']);
  });

  it('law: the tokens of a line join to the line (nothing lost or added)', () => {
    const yamlish = fc.array(fc.constantFrom('a', ':', ' ', '-', '#', "'", '"', '[', ']', ',', '{', '}', '1', '\\', '&', '*', '\t'), { maxLength: 40 }).map((c) => c.join(''));
    fc.assert(fc.property(fc.oneof(yamlish, fc.string()), (line) => highlightLine(line).map((t) => t.text).join('') === line));
  });

  it('every line of the example policies comes back whole', () => {
    for (const f of ['examples/keyserver.yml']) {
      const text = readFileSync(f, 'utf8');
      expect(highlight(text).map((l) => l.map((t) => t.text).join('')).join('\n')).toBe(text);
    }
  });
});

const rows: QuotaRow[] = [
  { rule_id: 'daily', profile_id: 'aa'.repeat(16), hour_count: 1, day_count: 3, at_quota: true, persistent: true },
  { rule_id: 'Hourly', profile_id: 'aa'.repeat(16), hour_count: 1, day_count: 1, at_quota: false, persistent: true },
  { rule_id: 'daily', profile_id: 'bb'.repeat(16), hour_count: 0, day_count: 1, at_quota: false, persistent: false, instance: 'i1' },
];

describe('quota page', () => {
  it('filters by profile or rule id, case-insensitively, and by at quota', () => {
    expect(filterQuota(rows, '', false)).toHaveLength(3);
    expect(filterQuota(rows, 'hourly', false).map((r) => r.rule_id)).toEqual(['Hourly']);
    expect(filterQuota(rows, ' BBBB ', false).map((r) => r.profile_id)).toEqual(['bb'.repeat(16)]);
    expect(filterQuota(rows, '', true).map((r) => r.rule_id)).toEqual(['daily']);
    expect(filterQuota(rows, 'bb', true)).toEqual([]);
  });

  it('offers each profile once', () => {
    expect(profilesOf(rows)).toEqual(['aa'.repeat(16), 'bb'.repeat(16)]);
  });
});

describe('labels', () => {
  it('a diagnostic with its place, or without when it has none', () => {
    const d = { code: 'KSS1104', severity: 'error', message: 'unknown argument `pathz`', range: { start: { line: 3, column: 7, offset: 40 } } };
    expect(diagnosticLabel(d)).toBe('line 3, column 7: error KSS1104 unknown argument `pathz`');
    expect(diagnosticLabel({ code: 'KSS1011', severity: 'error', message: 'not UTF-8' })).toBe('error KSS1011 not UTF-8');
  });

  it('short shas, profile filter problems', () => {
    expect(shortSha('0123456789abcdef')).toBe('0123456789ab');
    expect(shortSha(null)).toBe('');
    expect(profileFilterProblem('')).toBeNull();
    expect(profileFilterProblem('AA'.repeat(16))).toBeNull();
    expect(profileFilterProblem('xyz')).toBe('a profile id is 32 hex digits (0-9, a-f)');
  });

  it('audit entries in a few words', () => {
    const base = { seq: 1, at: '', actor: 'api:x' };
    expect(auditSummary({ ...base, kind: 'decision', data: { request_type: 'decrypt', approved: true, rule_set: 1, rule_ids: ['a', 'b'] } })).toBe('decrypt approved by rule set 1 (a, b)');
    expect(auditSummary({ ...base, kind: 'decision', data: { request_type: 'decrypt', approved: false, rule_set: null, rule_ids: [] } })).toBe('decrypt denied');
    expect(auditSummary({ ...base, kind: 'quota.clear', data: { profile_id: 'aa', cleared: 2, nested: { x: 1 } } })).toBe('profile_id=aa cleared=2');
  });
});

describe('simulator input', () => {
  it('takes `at` out of the request, the field overriding it', () => {
    expect(readSimulatorInput('{"request_type":"decrypt","at":"2026-01-01T00:00:00Z"}', '')).toEqual({ body: { request: { request_type: 'decrypt' }, at: '2026-01-01T00:00:00Z' } });
    expect(readSimulatorInput('{"request_type":"decrypt","at":"x"}', ' 2026-02-02T00:00:00Z ')).toEqual({ body: { request: { request_type: 'decrypt' }, at: '2026-02-02T00:00:00Z' } });
    expect(readSimulatorInput('{"request_type":"decrypt"}', '')).toEqual({ body: { request: { request_type: 'decrypt' } } });
  });

  it('says what is wrong instead of throwing', () => {
    expect(readSimulatorInput('{', '')).toEqual({ problem: expect.stringMatching(/^the request is not valid JSON: /) });
    expect(readSimulatorInput('[1]', '')).toEqual({ problem: 'the request must be a JSON object' });
    expect(readSimulatorInput('null', '')).toEqual({ problem: 'the request must be a JSON object' });
  });
});
