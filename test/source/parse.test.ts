import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../compiler/source/parse.js';
import { loadConformanceCases } from '../support/shared.js';

describe('parsePolicy', () => {
  it('builds request types, rule sets, rules and arguments with ranges', () => {
    const text = 'decrypt:\n- - rule: meta-rule\n    paths: [/finance, "*.pdf"]\n  - rule: approve-rule\n    rule_id: pinned\n';
    const { ast, diagnostics } = parsePolicy(text, 'p.yml');
    expect(diagnostics).toEqual([]);
    const decrypt = ast!.requestTypes[0]!;
    expect(decrypt.name).toBe('decrypt');
    expect(decrypt.nameRange.start).toMatchObject({ line: 1, column: 1 });
    const [meta, approve] = decrypt.ruleSets[0]!.rules;
    expect(meta!.kind).toBe('meta-rule');
    expect(meta!.args[0]!.key).toBe('paths');
    expect(meta!.args[0]!.keyRange.start).toMatchObject({ line: 3, column: 5 });
    expect(meta!.args[0]!.value.items![1]!.value).toBe('*.pdf');
    expect(meta!.args[0]!.value.items![1]!.range.start).toMatchObject({ line: 3, column: 23 });
    expect(approve!.ruleId!.value.value).toBe('pinned');
    expect(approve!.value).toEqual({ rule: 'approve-rule', rule_id: 'pinned' });
  });

  it('reports YAML syntax errors at their place instead of throwing', () => {
    const { ast, diagnostics } = parsePolicy('decrypt:\n- - rule: [unclosed\n', 'p.yml');
    expect(ast).toBeNull();
    expect(diagnostics[0]).toMatchObject({ code: 'KSS1001', severity: 'error' });
    expect(diagnostics[0]!.range.start.line).toBeGreaterThanOrEqual(2);
  });

  it('reports duplicate keys at the second key', () => {
    const { diagnostics } = parsePolicy('decrypt:\n- - rule: approve-rule\ndecrypt: []\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'KSS1002', range: { start: { line: 3, column: 1 } } });
  });

  it('resolves anchors, aliases and merge keys', () => {
    const text = [
      'decrypt:',
      '- - &office {rule: time-range-rule, time_start: "8:00am", time_end: "6:00pm"}',
      '  - rule: meta-rule',
      '    <<: &paths {paths: [/hr]}',
      '    case_sensitive: true',
      'search:',
      '- - *office',
    ].join('\n');
    const { ast, diagnostics } = parsePolicy(text);
    expect(diagnostics).toEqual([]);
    const search = ast!.requestTypes[1]!.ruleSets[0]!.rules[0]!;
    expect(search.kind).toBe('time-range-rule');
    expect(search.range.start.line).toBe(7);
    const meta = ast!.requestTypes[0]!.ruleSets[0]!.rules[1]!;
    expect(meta.value).toEqual({ rule: 'meta-rule', paths: ['/hr'], case_sensitive: true });
  });

  it('accepts JSON', () => {
    const { ast, diagnostics } = parsePolicy('{"decrypt": [[{"rule": "approve-rule"}]]}', 'p.json');
    expect(diagnostics).toEqual([]);
    expect(ast!.requestTypes[0]!.ruleSets[0]!.rules[0]!.kind).toBe('approve-rule');
  });

  it('reports shapes that are not a policy', () => {
    expect(parsePolicy('').diagnostics[0]!.code).toBe('KSS1003');
    expect(parsePolicy('- a\n').diagnostics[0]!.code).toBe('KSS1003');
    expect(parsePolicy('decrypt: yes\n').diagnostics[0]!.code).toBe('KSS1004');
    expect(parsePolicy('decrypt:\n- rule: approve-rule\n').diagnostics[0]).toMatchObject({ code: 'KSS1005', range: { start: { line: 2, column: 3 } } });
    expect(parsePolicy('decrypt:\n- - approve-rule\n').diagnostics[0]!.code).toBe('KSS1006');
  });

  it('refuses binary input and absurd nesting with a message', () => {
    expect(parsePolicy('\u0000\u0001garbage').diagnostics[0]!.code).toBe('KSS1009');
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const result = parsePolicy(deep);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  it('parses every conformance policy without a diagnostic', () => {
    for (const c of loadConformanceCases()) {
      const file = c.file;
      const { ast, diagnostics } = parsePolicy(c.policy_yaml, file);
      expect(diagnostics, file).toEqual([]);
      const shape = Object.fromEntries(ast!.requestTypes.map((t) => [t.name, t.ruleSets.map((s) => s.rules.length)]));
      const expected = Object.fromEntries(Object.entries(c.rule_ids as Record<string, string[][]>).map(([t, sets]) => [t, sets.map((s) => s.length)]));
      expect(shape, file).toEqual(expected);
    }
  });
});
