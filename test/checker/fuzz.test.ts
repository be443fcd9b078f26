/**
 * Property tests: whatever the input, analyzePolicy returns diagnostics with sane positions and no
 * check fails internally (KSS9001) — on random text and on mutations of real policies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzePolicy } from '../../compiler/analyze.js';
import { loadConformanceCases } from '../support/shared.js';
import type { Diagnostic } from '../../compiler/diagnostics.js';

const seeds: string[] = loadConformanceCases().map((c) => c.policy_yaml);

function assertSane(text: string, diagnostics: Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^KSS\d{4}$/);
    expect(d.code, d.message).not.toBe('KSS9001');
    expect(d.range.start.offset).toBeLessThanOrEqual(d.range.end.offset);
    expect(d.range.end.offset).toBeLessThanOrEqual(text.length);
    expect(d.range.start.line).toBeGreaterThanOrEqual(1);
    expect(d.message.length).toBeGreaterThan(0);
  }
  for (let i = 1; i < diagnostics.length; i++) {
    expect(diagnostics[i - 1]!.range.start.offset).toBeLessThanOrEqual(diagnostics[i]!.range.start.offset);
  }
}

// Tokens that make near-valid policies interesting: other kinds, keys, YAML 1.1 traps, broken times.
const VOCABULARY = [
  'meta-rule', 'reject-rule', 'approve-rule', 'time-range-rule', 'per-profile-throttle-rule', 'session-params-rule', 'profile-id-rule',
  'paths', 'regexes', 'days', 'include', 'exclude', 'time_start', 'time_end', 'per_day', 'per_hour', 'rule_id', 'rule',
  '17:00', '25:00', '8:00am EST', 'yes', 'off', '2022-02-30', '[', ']', '{', '}', '- ', '  ', '\n', ':', "'", '"', '!', '*', '(?<=a|bc)', '&a', '*a', '<<: *a', '~', '[]', '-1', '7',
];

const mutation = (text: string) =>
  fc.oneof(
    fc.record({ at: fc.nat(text.length), len: fc.nat(8) }).map(({ at, len }) => text.slice(0, at) + text.slice(at + len)),
    fc.record({ at: fc.nat(text.length), word: fc.constantFrom(...VOCABULARY) }).map(({ at, word }) => text.slice(0, at) + word + text.slice(at)),
    fc.record({ at: fc.nat(text.length), s: fc.string({ maxLength: 6 }) }).map(({ at, s }) => text.slice(0, at) + s + text.slice(at)),
    fc.record({ a: fc.nat(200), b: fc.nat(200) }).map(({ a, b }) => {
      const lines = text.split('\n');
      const i = a % lines.length;
      const j = b % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }),
  );

describe('analyzePolicy never throws', () => {
  it('on random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 60 }).map((w) => w.join(''))), (text) => {
        assertSane(text, analyzePolicy(text, 'random.yml').diagnostics);
      }),
      { numRuns: 400 },
    );
  });

  it('on mutations of real policies (several mutations each)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds).chain((seed) => fc.array(fc.nat(), { minLength: 1, maxLength: 4 }).chain((steps) => steps.reduce((acc) => acc.chain((t) => mutation(t)), fc.constant(seed)))),
        (text) => {
          assertSane(text, analyzePolicy(text, 'mutated.yml').diagnostics);
        },
      ),
      { numRuns: 200 },
    );
  });
});
