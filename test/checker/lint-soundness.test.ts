/**
 * The lints about dead rule sets are claims about decisions, so they are tested against the
 * evaluator: on random policies and random requests at random times, a rule set reported as
 * unreachable (KSS3001) or never approving (KSS3002) never decides a request, and an inverted
 * pattern reported as shadowed (KSS3003) never denies: it acts like an inverted pattern that matches
 * nothing (which still marks paths approved, SPEC §4.1), and a normal pattern after an inverted
 * one (KSS3008) changes nothing, and a regex anchored without `/` (KSS3009) never matches the
 * complete paths these requests carry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../compiler/compile.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';

const TYPES = ['decrypt', 'rename', 'start_session'];
const TIMES = ['8:00am', '5:00pm', "'09:00'", "'17:00'", '10:00pm', '6:00am', '12:00Z', '13:00+04:00', "'00:00'", "'23:59'"];
const DATES = ['2022-03-14', '2022-03-15', '2022-03-19', '2022-03-20'];
const PROFILES = ['aa11', 'bb22'];
const PATHS = ['/finance', '/finance/secret', '*.pdf', 'report.pdf', '/tax*', '/taxi', '*', 'hr/'];
const REGEXES = ['^finance', '^/finance', 'pdf$', '^tax', '.*', 'secret'];

let ids = 0;
const list = <T>(arb: fc.Arbitrary<T>, max: number) => fc.uniqueArray(arb, { maxLength: max });
const flow = (items: string[]) => `[${items.join(', ')}]`;

const rule: fc.Arbitrary<string[]> = fc.oneof(
  fc.constant<string[]>(['rule: approve-rule']),
  fc.constant<string[]>(['rule: reject-rule']),
  fc.constant<string[]>(['rule: session-params-rule']),
  fc.record({
    times: fc.option(fc.tuple(fc.constantFrom(...TIMES), fc.constantFrom(...TIMES))),
    days: fc.option(list(fc.integer({ min: 0, max: 6 }), 7)),
    include: list(fc.constantFrom(...DATES), 2),
    exclude: list(fc.constantFrom(...DATES), 2),
  }).map(({ times, days, include, exclude }) => [
    'rule: time-range-rule',
    ...(times ? [`time_start: ${times[0]}`, `time_end: ${times[1]}`] : []),
    ...(days ? [`days: ${flow(days.map(String))}`] : []),
    ...(include.length ? [`include: ${flow(include.map((d) => `'${d}'`))}`] : []),
    ...(exclude.length ? [`exclude: ${flow(exclude.map((d) => `'${d}'`))}`] : []),
  ]),
  list(fc.constantFrom(...PROFILES), 2).filter((p) => p.length > 0).map((p) => ['rule: profile-id-rule', `profile_ids: ${flow(p)}`]),
  fc.record({
    paths: fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...PATHS)), { maxLength: 4 }),
    regexes: fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...REGEXES)), { maxLength: 2 }),
  })
    .filter(({ paths, regexes }) => paths.length + regexes.length > 0)
    .map(({ paths, regexes }) => [
      'rule: meta-rule',
      ...(paths.length ? [`paths: ${flow(paths.map(([not, p]) => `'${not ? '!' : ''}${p}'`))}`] : []),
      ...(regexes.length ? [`regexes: ${flow(regexes.map(([not, r]) => `'${not ? '!' : ''}${r}'`))}`] : []),
    ]),
  fc.integer({ min: 1, max: 2 }).map((n) => ['rule: per-profile-throttle-rule', `rule_id: t${ids++}`, `per_hour: ${n}`]),
);

const policy = fc
  .array(fc.tuple(fc.constantFrom(...TYPES), fc.array(fc.array(rule, { maxLength: 3 }), { minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 3 })
  .map((types) => {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const [type, sets] of types) {
      if (seen.has(type)) continue;
      seen.add(type);
      out.push(`${type}:`);
      for (const set of sets) {
        if (set.length === 0) out.push('- []');
        set.forEach((r, i) => r.forEach((line, j) => out.push(`${j > 0 ? '    ' : i === 0 ? '- - ' : '  - '}${line}`)));
      }
    }
    return `${out.join('\n')}\n`;
  });

const request = fc.record({
  type: fc.constantFrom(...TYPES),
  profile: fc.constantFrom(...PROFILES),
  meta: fc.constantFrom('finance/secret/a.pdf', 'finance/x', 'taxi', 'tax/1', 'hr/report.pdf', 'other'),
  at: fc.integer({ min: Date.parse('2022-03-13T00:00:00Z'), max: Date.parse('2022-03-21T00:00:00Z') }),
});

function toRequest(r: { type: string; profile: string; meta: string }): KssRequest {
  return { request_type: r.type, profile: { profile_id: r.profile, profile_words: [] }, auth_meta: [{ meta: r.meta, complete: true }] };
}

describe('lint soundness against the evaluator', () => {
  it('dead rule sets never decide', () => {
    let claims = 0;
    let compiled = 0;
    fc.assert(
      fc.property(policy, fc.array(request, { minLength: 1, maxLength: 12 }), fc.constantFrom('UTC', '+04:00'), (text, requests, tz) => {
        const result = compilePolicy(text, 'random.yml');
        if (!result.artifact) return; // policies with errors are out of scope
        compiled++;
        const dead = new Set(result.diagnostics
          .filter((d) => d.code === 'KSS3001' || d.code === 'KSS3002')
          .map((d) => `${String(d.data?.requestType)}#${String(d.data?.ruleSet)}`));
        claims += dead.size;
        const program = loadProgram(result.artifact, { engine: 'plain' });
        const quota = new MemoryQuota();
        for (const r of requests) {
          const decision = program.decide(toRequest(r), context(r.at, tz), quota);
          if (decision.rule_set !== null) expect(dead.has(`${r.type}#${decision.rule_set}`), text).toBe(false);
        }
      }),
      { numRuns: 250 },
    );
    // Most random policies must be valid, or the property says little.
    expect(compiled).toBeGreaterThan(125);
    expect(claims).toBeGreaterThan(20);
  });

  it('a normal pattern after an inverted one changes nothing: replacing it by one that matches nothing keeps every decision', () => {
    expect(replacingFlaggedKeepsDecisions('KSS3008', () => "'/kss-test-unused-placeholder'")).toBeGreaterThan(5);
  });

  it('a regex anchored without `/` never matches a complete path: replacing it by one that never matches keeps every decision', () => {
    // `^$` cannot match a complete path: it always starts with `/`.
    const replacement = (written: string) => (written.slice(1, 2) === '!' ? "'!^$'" : "'^$'");
    expect(replacingFlaggedKeepsDecisions('KSS3009', replacement)).toBeGreaterThan(5);
  });

  it('a shadowed inverted pattern denies nothing: replacing it by one that matches nothing changes no decision', () => {
    expect(replacingFlaggedKeepsDecisions('KSS3003', () => "'!/kss-test-unused-placeholder'")).toBeGreaterThan(5);
  });
});

/**
 * The law behind the pattern lints: an item a lint says has no effect can be replaced by `replacement`
 * (given the item as written) without changing any decision. Returns how many items were flagged,
 * so that a caller can insist the property was not vacuous.
 */
function replacingFlaggedKeepsDecisions(code: string, replacement: (written: string) => string): number {
  let claims = 0;
  fc.assert(
    fc.property(policy, fc.array(request, { minLength: 1, maxLength: 8 }), (text, requests) => {
      const compiled = compilePolicy(text, 'random.yml');
      if (!compiled.artifact) return;
      const flagged = compiled.diagnostics.filter((d) => d.code === code);
      if (flagged.length === 0) return;
      claims += flagged.length;
      // Replace the reported items from the end, so that earlier offsets stay valid.
      let edited = text;
      for (const d of [...flagged].sort((a, b) => b.range.start.offset - a.range.start.offset)) {
        edited = edited.slice(0, d.range.start.offset) + replacement(text.slice(d.range.start.offset, d.range.end.offset)) + edited.slice(d.range.end.offset);
      }
      const other = compilePolicy(edited, 'edited.yml');
      expect(other.artifact, edited).not.toBeNull();
      const a = loadProgram(compiled.artifact, { engine: 'plain' });
      const b = loadProgram(other.artifact!, { engine: 'plain' });
      for (const r of requests) {
        const ctx = context(r.at);
        // Fresh quota per request: the lints are about matching, not about counts.
        expect(b.decide(toRequest(r), ctx, new MemoryQuota()).approved, `${text}\n---\n${edited}`)
          .toBe(a.decide(toRequest(r), ctx, new MemoryQuota()).approved);
      }
    }),
    { numRuns: 300 },
  );
  return claims;
}
