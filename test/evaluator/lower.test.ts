/** Lowering: arguments parsed into the IR; on unchecked input (the language server lowers broken files) it never throws. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { analyzePolicy } from '../../compiler/analyze.js';
import { lowerPolicy } from '../../compiler/ir/lower.js';
import { parsePolicy } from '../../compiler/source/parse.js';

describe('lowerPolicy', () => {
  it('parses times, dates, profile ids and patterns, regexes before paths', () => {
    const { ir, diagnostics } = lowerPolicy(parsePolicy(`decrypt:
- - rule: time-range-rule
    time_start: 8:00am
    time_end: 17:30+04:00
    include: ['2022-03-15']
  - rule: profile-id-rule
    profile_ids: [00AAbb, correct horse battery staple]
  - rule: meta-rule
    paths: ['!/x']
    regexes: ['a+']
  - rule: per-profile-throttle-rule
    per_day: 3
`).ast!);
    expect(diagnostics).toEqual([]);
    const [time, profile, meta, throttle] = ir.requestTypes[0]!.ruleSets[0]!.rules;
    expect(time).toMatchObject({ start: { seconds: 8 * 3600, offsetSeconds: null }, end: { seconds: 17 * 3600 + 1800, offsetSeconds: 14400 }, days: [0, 1, 2, 3, 4, 5, 6], include: ['2022-03-15'], exclude: [] });
    expect(profile).toMatchObject({ hexIds: ['00aabb'], wordLists: [['correct', 'horse', 'battery', 'staple']] });
    expect(meta).toMatchObject({ patterns: [{ kind: 'regex', inverted: false }, { kind: 'path', inverted: true }], caseSensitive: false, requireComplete: false });
    expect(throttle).toMatchObject({ perHour: null, perDay: 3, persistent: false });
  });

  it('reports what it cannot lower at the argument, with its one code', () => {
    const { diagnostics } = lowerPolicy(parsePolicy("decrypt:\n- - rule: time-range-rule\n    time_start: 'noon'\n  - rule: profile-id-rule\n    profile_ids: [two words]\n  - rule: nonsense-rule\n  - rule: per-profile-throttle-rule\n    per_day: .inf\n").ast!);
    expect(diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['KSS2900', 3], ['KSS2900', 5], ['KSS2900', 6], ['KSS2900', 8]]);
    expect(diagnostics.every((d) => d.message.startsWith('cannot compile: ') && d.help !== undefined)).toBe(true);
  });

  it('takes the analysis\'s fragments: what the checks read is what the IR holds', () => {
    const analyzed = analyzePolicy("decrypt:\n- - rule: meta-rule\n    regexes: ['^/a+']\n  - rule: time-range-rule\n    time_start: '9:00'\n    time_end: '17:00'\n", 'p.yml');
    expect(analyzed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [meta, time] = lowerPolicy(analyzed.ast!, { fragments: analyzed.fragments }).ir.requestTypes[0]!.ruleSets[0]!.rules;
    expect(meta).toMatchObject({ kind: 'meta-rule' });
    expect(meta!.kind === 'meta-rule' && meta!.patterns[0]).toBe(analyzed.fragments.pattern('regex', '^/a+', false).value);
    expect(time!.kind === 'time-range-rule' && time!.start).toBe(analyzed.fragments.time('9:00').value);
  });

  it('reads absent arguments as their schemas\' defaults, and -1 as an unlimited throttle', () => {
    const { ir, diagnostics } = lowerPolicy(parsePolicy('start_session:\n- - rule: session-params-rule\n  - rule: time-range-rule\n  - rule: per-profile-throttle-rule\n    per_hour: -1\n    per_day: 0\n').ast!);
    expect(diagnostics).toEqual([]);
    const [session, time, throttle] = ir.requestTypes[0]!.ruleSets[0]!.rules;
    expect(session).toMatchObject({ maxRequestCount: null, maxTimeSeconds: 300, endByTime: null });
    expect(time).toMatchObject({ days: [0, 1, 2, 3, 4, 5, 6], include: [], exclude: [] });
    expect(throttle).toMatchObject({ perHour: null, perDay: 0, persistent: false });
  });

  it('never throws on arbitrary rule mappings', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }));
    const key = fc.constantFrom('time_start', 'time_end', 'days', 'include', 'exclude', 'paths', 'regexes', 'case_sensitive', 'require_complete', 'profile_ids', 'per_hour', 'per_day', 'persistent', 'rule_id', 'max_request_count', 'max_time_seconds', 'end_by_time', 'other');
    const kind = fc.constantFrom('meta-rule', 'profile-id-rule', 'time-range-rule', 'per-profile-throttle-rule', 'approve-rule', 'reject-rule', 'session-params-rule', 'bogus', 7);
    const rule = fc.tuple(kind, fc.dictionary(key, value, { maxKeys: 4 })).map(([k, args]) => ({ rule: k, ...args }));
    fc.assert(fc.property(fc.array(fc.array(rule, { maxLength: 3 }), { maxLength: 3 }), (sets) => {
      const ast = parsePolicy(stringify({ decrypt: sets })).ast;
      if (ast) lowerPolicy(ast);
    }), { numRuns: 300 });
  });
});
