/** Lowering: arguments parsed into the IR; on unchecked input (the language server lowers broken files) it never throws. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
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

  it('reports what it cannot lower at the argument, with a code', () => {
    const { diagnostics } = lowerPolicy(parsePolicy("decrypt:\n- - rule: time-range-rule\n    time_start: 'noon'\n  - rule: profile-id-rule\n    profile_ids: [two words]\n  - rule: nonsense-rule\n").ast!);
    expect(diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['KSS2904', 3], ['KSS2903', 5], ['KSS2902', 6]]);
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
