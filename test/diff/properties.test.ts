/**
 * The diff's soundness laws on random policy pairs (fast-check): every reported witness really is
 * decided differently by the evaluator, with the outcomes the change states; and every random
 * request that the two policies decide differently falls inside a reported change (its request
 * type and its pair of outcomes), so "no change" is never said of a pair that differs.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compilePolicy } from '../../compiler/compile.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { instantFromUs, parseInstant } from '../../runtime/time/index.js';
import { compile, diff, UTC } from './support.js';

const HEX = ['aa'.repeat(16), 'bb'.repeat(16)];
const WORDS = ['alpha bravo charlie delta', 'alpha bravo charlie delta echo'];
const PATHS = ['/finance', '/hr', '*.pdf', 'docs/', 'report', '!/finance/secret', 'a/b', '/', '!*.tmp'];
const REGEXES = ['^/tax', 'x$', '(?i)^/HR/', '[0-9]+'];
const TIMES = ['08:00', '09:00', '12:30', '17:00', '17:00:00.5'];

const rule = fc.oneof(
  fc.record({ ids: fc.subarray([...HEX, ...WORDS], { minLength: 1 }) }).map(({ ids }) => `rule: profile-id-rule\n  profile_ids: ${JSON.stringify(ids)}`),
  fc
    .record({ t: fc.subarray(TIMES, { minLength: 2, maxLength: 2 }), days: fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }), exclude: fc.boolean(), timed: fc.boolean() })
    .map(({ t, days, exclude, timed }) => `rule: time-range-rule\n  days: ${JSON.stringify(days)}${timed ? `\n  time_start: "${t[0]}"\n  time_end: "${t[1]}"` : ''}${exclude ? '\n  exclude: ["2026-12-09"]' : ''}`),
  fc
    .record({ paths: fc.shuffledSubarray(PATHS), regexes: fc.subarray(REGEXES), cs: fc.boolean(), rc: fc.boolean() })
    .filter((r) => r.paths.length + r.regexes.length > 0)
    .map((r) => `rule: meta-rule\n  paths: ${JSON.stringify(r.paths)}\n  regexes: ${JSON.stringify(r.regexes)}\n  case_sensitive: ${r.cs}\n  require_complete: ${r.rc}`),
  fc.constantFrom('rule: approve-rule', 'rule: reject-rule', 'rule: per-profile-throttle-rule\n  per_hour: 0'),
);

const ruleSets = fc.array(fc.array(rule, { maxLength: 3 }), { maxLength: 3 });

function policyYaml(decrypt: string[][] | null, location: boolean): string {
  const out: string[] = [];
  if (decrypt !== null) {
    out.push(decrypt.length === 0 ? 'decrypt: []' : 'decrypt:');
    for (const rs of decrypt) {
      if (rs.length === 0) out.push('  - []');
      rs.forEach((r, i) => out.push(`${i === 0 ? '  - - ' : '    - '}${r.split('\n').map((l) => l.trim()).join('\n      ')}`));
    }
  }
  if (location || decrypt === null) out.push('create_location:\n  - - rule: reject-rule');
  return `${out.join('\n')}\n`;
}

const policy = fc.record({ decrypt: fc.option(ruleSets, { nil: null }), location: fc.boolean() }).map((p) => policyYaml(p.decrypt, p.location));

/**
 * Policy pairs where the second is often a small edit of the first. An edit can make a policy that
 * does not compile (`17:00`–`17:00:00.5` moved to start at `18:00` ends before it starts): such a
 * pair is no pair of policies, so it is not drawn.
 */
const pair = policy
  .chain((a) => fc.tuple(fc.constant(a), fc.oneof(policy, fc.constant(a.replace('"/hr"', '"/hr/"')), fc.constant(a.replace('17:00', '18:00')))))
  .filter(([, b]) => compilePolicy(b, 'new.yml').artifact !== null);

const segment = fc.constantFrom('finance', 'hr', 'secret', 'tax', 'x', 'report', 'a', 'b', 'docs', 'file.pdf', 'FINANCE', 'HR', 'x.tmp', '42');
const entry = fc.record({ meta: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')), complete: fc.boolean() });
const request = fc.record({
  request_type: fc.constantFrom('decrypt', 'create_location'),
  profile: fc.record({ profile_id: fc.constantFrom(...HEX, 'cc'.repeat(16)), profile_words: fc.constantFrom(...WORDS, 'zulu yankee xray whiskey').map((w) => w.split(' ')) }),
  auth_meta: fc.option(fc.array(entry, { minLength: 1, maxLength: 2 }), { nil: undefined }),
});
const WEEK_START = parseInstant('2026-12-07T00:00:00Z', UTC)!;
const moment = fc.oneof(fc.integer({ min: 0, max: 7 * 86_400 - 1 }).map((s) => s * 1_000_000), fc.constantFrom(17 * 3600e6 + 1, 17 * 3600e6 + 500_000, 2 * 86_400e6 + 9 * 3600e6));

const programs = new Map<string, ReturnType<typeof loadProgram>>();

function decide(yaml: string, req: KssRequest, atUs: number) {
  let program = programs.get(yaml);
  if (!program) programs.set(yaml, (program = loadProgram(compile(yaml))));
  const d = program.decide(req, { at: instantFromUs(WEEK_START + atUs), zone: UTC }, new MemoryQuota());
  return { approved: d.approved, rule_set: d.rule_set };
}

describe('kss diff soundness', () => {
  test('every witness is decided differently, as its change says', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        for (const c of diff(a, b).changes) {
          expect(c.witnesses.length).toBeGreaterThan(0);
          for (const w of c.witnesses) {
            const at = parseInstant(w.at, UTC)!;
            const o = loadProgram(compile(a)).decide(w.request, { at, zone: UTC }, new MemoryQuota());
            const n = loadProgram(compile(b)).decide(w.request, { at, zone: UTC }, new MemoryQuota());
            expect({ approved: o.approved, rule_set: o.rule_set }).toEqual(c.old);
            expect({ approved: n.approved, rule_set: n.rule_set }).toEqual(c.new);
          }
        }
      }),
      { numRuns: 50 },
    );
  }, 180_000);

  test('a random request decided differently falls inside a reported change', () => {
    fc.assert(
      fc.property(pair, fc.array(fc.tuple(request, moment), { minLength: 20, maxLength: 20 }), ([a, b], reqs) => {
        const report = diff(a, b);
        for (const [req, atUs] of reqs) {
          const o = decide(a, req, atUs);
          const n = decide(b, req, atUs);
          if (o.approved === n.approved && o.rule_set === n.rule_set) continue;
          const inside = report.changes.some((c) => c.request_type === req.request_type && c.old.approved === o.approved && c.old.rule_set === o.rule_set && c.new.approved === n.approved && c.new.rule_set === n.rule_set);
          expect(inside, `${JSON.stringify(req)} at +${atUs}µs: ${JSON.stringify(o)} vs ${JSON.stringify(n)}\n--- old\n${a}--- new\n${b}`).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  }, 180_000);
});
