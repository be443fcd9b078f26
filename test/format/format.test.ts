import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { formatPolicy, isFormatted } from '../../compiler/format/format.js';
import { parsePolicy } from '../../compiler/source/parse.js';
import { assignRuleIds } from '../../compiler/ir/rule-ids.js';
import { layout, policy, render } from './arbitrary.js';

const read = (text: string): unknown => parseDocument(text, { merge: true }).toJS();

describe('formatPolicy', () => {
  const cases: Array<{ name: string; source: string; expected: string }> = [
    {
      name: 'indents, compacts nested rule sets and puts rule and rule_id first',
      source: [
        'decrypt:',
        '- -    paths: ["/finance",   \'/hr\']',
        '       rule: meta-rule',
        '       rule_id: finance',
        '-',
        '  - rule: approve-rule',
        'search:   ',
        '    -   - rule: reject-rule',
        '',
      ].join('\n'),
      expected: [
        'decrypt:',
        '  - - rule: meta-rule',
        '      rule_id: finance',
        '      paths: ["/finance", \'/hr\']',
        '  - - rule: approve-rule',
        '',
        'search:',
        '  - - rule: reject-rule',
        '',
      ].join('\n'),
    },
    {
      name: 'keeps comments, quotes, anchors, aliases and merge keys',
      source: [
        '# the policy',
        'decrypt:',
        '  # office hours only',
        '  - - rule: time-range-rule # when',
        '      time_start: \'8:00\'',
        '      time_end: "17:00"',
        '      days: &weekdays [0, 1, 2, 3, 4]',
        '    - <<: {per_day: 10}',
        '      rule: per-profile-throttle-rule',
        'rename:',
        '  - - rule: time-range-rule',
        '      days: *weekdays',
        '',
        '',
        '# end',
      ].join('\n'),
      expected: [
        '# the policy',
        'decrypt:',
        '  # office hours only',
        '  - - rule: time-range-rule # when',
        '      time_start: \'8:00\'',
        '      time_end: "17:00"',
        '      days: &weekdays [0, 1, 2, 3, 4]',
        '    - rule: per-profile-throttle-rule',
        '      <<: {per_day: 10}',
        '',
        'rename:',
        '  - - rule: time-range-rule',
        '      days: *weekdays',
        '',
        '# end',
        '',
      ].join('\n'),
    },
    {
      name: 'a JSON policy stays JSON (flow), with `rule` first',
      source: '{"decrypt": [[{"paths": ["/a"], "rule": "meta-rule"}]],\n "search": []}',
      expected: '{"decrypt": [[{"rule": "meta-rule", "paths": ["/a"]}]], "search": []}\n',
    },
    { name: 'CRLF and trailing blanks become LF and one final newline', source: 'decrypt:\r\n  - - rule: approve-rule   \r\n\r\n\r\n', expected: 'decrypt:\n  - - rule: approve-rule\n' },
    { name: 'an empty file stays empty', source: '\n\n', expected: '' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = formatPolicy(c.source);
      expect(result.diagnostics).toEqual([]);
      expect(result.reason).toBeNull();
      expect(result.text).toBe(c.expected);
      expect(formatPolicy(c.expected).text).toBe(c.expected);
    });
  }

  it('refuses text that is not YAML, with the parser\'s diagnostics', () => {
    const result = formatPolicy('decrypt:\n  - - rule: [approve-rule\n');
    expect(result.text).toBeNull();
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics[0]!.code).toBe('KSS1001');
    expect(result.diagnostics[0]!.range.start.line).toBeGreaterThanOrEqual(2);
    expect(isFormatted('a: [')).toBe(true);
  });

  it('never moves an alias before its anchor: it keeps the key order instead', () => {
    const source = 'decrypt:\n  - - paths: &kind meta-rule\n      rule: *kind\n';
    const result = formatPolicy(source);
    expect(result.text).toBe(source);
    expect(read(result.text!)).toEqual(read(source));
  });

  it('refuses an alias without an anchor instead of failing', () => {
    const result = formatPolicy('decrypt:\n  - - rule: *nowhere\n');
    expect(result.text).toBeNull();
    expect(result.reason).toContain('YAML errors');
  });

  it('refuses duplicate keys instead of dropping one', () => {
    const result = formatPolicy('decrypt:\n  - - rule: approve-rule\ndecrypt: []\n');
    expect(result.text).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toContain('KSS1002');
  });

  it('is idempotent, keeps the value, the rule ids and every comment, whatever the layout (property)', () => {
    fc.assert(
      fc.property(policy, layout, (p, l) => {
        const { text, comments } = render(p, l);
        const once = formatPolicy(text);
        expect(once.diagnostics).toEqual([]);
        const formatted = once.text!;
        expect(formatPolicy(formatted).text).toBe(formatted);
        expect(read(formatted)).toEqual(read(text.replace(/\r\n/g, '\n')));
        const ids = (t: string) => assignRuleIds(parsePolicy(t).ast!).map((a) => a.ruleId);
        expect(ids(formatted)).toEqual(ids(text));
        for (const c of comments) expect(formatted).toMatch(new RegExp(`# ${c}$`, 'm'));
        expect(formatted.endsWith('\n')).toBe(true);
        expect(formatted).not.toMatch(/[ \t]$|\r|\n\n\n/m);
      }),
      { numRuns: 200 },
    );
  });

  it('formats alike from the reader\'s result (the language server\'s analysis) and leaves that result as it was (property)', () => {
    fc.assert(
      fc.property(policy, layout, (p, l) => {
        const { text } = render(p, l);
        const parsed = parsePolicy(text);
        const before = parsed.ast?.document?.toString();
        expect(formatPolicy(text, parsed)).toEqual(formatPolicy(text));
        expect(parsed.ast?.document?.toString()).toBe(before);
      }),
      { numRuns: 100 },
    );
  });
});
