/** fast-check generators of IR policies and request sequences for the engine property tests. */
import fc from 'fast-check';
import type { MetaPatternIR, PolicyIR, RuleIR, TimeOfDayIR } from '../../compiler/ir/types.js';
import { REQUEST_TYPES } from '../../compiler/ir/types.js';
import { translatePathPattern } from '../../compiler/grammars/path-pattern.js';
import { translatePythonRegex } from '../../compiler/grammars/python-regex.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';

export const HEX = ['00112233445566778899aabbccddeeff', 'a1b2c3d4e5f60718293a4b5c6d7e8f90', 'ffeeddccbbaa99887766554433221100', '0123456789abcdef0123456789abcdef'];
export const WORDS = [
  ['correct', 'horse', 'battery', 'staple', 'lamp'],
  ['correct', 'horse', 'battery', 'staple', 'river'],
  ['apple', 'river', 'horse', 'cactus', 'zebra'],
];
const METAS = ['finance/2022/report.pdf', 'Finance/notes.txt', 'hr/secret.doc', 'x', 'taxi', 'tax/taxes', 'café/Über', 'public/a.b', 'Kelvin/\u212a', 'ſ/notes.txt', 'a/hr',
  'finance//2022/report.pdf\n', 'a/hr\n', 'HR/x\n', 'x\n', 'q//r/s', 'Finance/2022'];
/** Patterns as written, translated by the real grammars (paths exercise the optimiser's literal tests). */
const PATH_SOURCES = ['/finance', '*.pdf', 'x', 'hr/', '/Finance/', 'tax/taxes', '*a*', 'Über', '/café', 'k', 'notes.TXT', '/', 'public/a.b', '*/hr',
  'finance/2022', 'report.pdf', '/finance/2022/', 'Finance/', '*/hr/', 'q//r/', 'hr//'];
const REGEX_SOURCES = ['tax(es|i)', '^x$', '(a)\\1?', 'é|ü', '\\.pdf$', '^/hr/'];
const translated = (kind: 'path' | 'regex', source: string, caseSensitive: boolean): MetaPatternIR => {
  const r = kind === 'path' ? translatePathPattern(source, caseSensitive) : translatePythonRegex(source, caseSensitive);
  if (!r.value) throw new Error(`cannot translate ${source}: ${r.errors[0]?.message}`);
  return r.value;
};
const DATES = ['2022-03-14', '2022-03-15', '2022-03-16'];

const time: fc.Arbitrary<TimeOfDayIR> = fc.record({
  seconds: fc.constantFrom(0, 3600 * 6, 3600 * 9 + 1800, 3600 * 12, 3600 * 17, 86399),
  offsetSeconds: fc.constantFrom(null, null, 0, 14400, -18000),
});

const ruleBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constant({ kind: 'approve-rule' }),
  fc.constant({ kind: 'reject-rule' }),
  fc.constant({ kind: 'session-params-rule', maxRequestCount: null, maxTimeSeconds: 300, endByTime: null }),
  fc.record({ kind: fc.constant('profile-id-rule'), hexIds: fc.subarray(HEX), wordLists: fc.subarray(WORDS.map((w, i) => w.slice(0, 4 + (i % 2)))) }),
  fc.record({
    kind: fc.constant('time-range-rule'),
    range: fc.option(fc.tuple(time, time)),
    days: fc.subarray([0, 1, 2, 3, 4, 5, 6]),
    include: fc.subarray(DATES),
    exclude: fc.subarray(DATES),
  }).map(({ range, ...r }) => ({ ...r, start: range?.[0] ?? null, end: range?.[1] ?? null })),
  fc.record({
    kind: fc.constant('meta-rule'),
    regexes: fc.array(fc.tuple(fc.constantFrom(...REGEX_SOURCES), fc.boolean()), { maxLength: 2 }),
    paths: fc.array(fc.tuple(fc.constantFrom(...PATH_SOURCES), fc.boolean()), { maxLength: 3 }),
    caseSensitive: fc.boolean(),
    requireComplete: fc.boolean(),
  }).map(({ regexes, paths, ...r }) => ({
    ...r,
    patterns: [
      ...regexes.map(([source, inverted]) => translated('regex', `${inverted ? '!' : ''}${source}`, r.caseSensitive)),
      ...paths.map(([source, inverted]) => translated('path', `${inverted ? '!' : ''}${source}`, r.caseSensitive)),
    ],
  })),
  fc.record({
    kind: fc.constant('per-profile-throttle-rule'),
    perHour: fc.constantFrom(null, 0, 1, 2, 3),
    perDay: fc.constantFrom(null, 1, 2, 4),
    persistent: fc.boolean(),
  }),
);

export const policyIR: fc.Arbitrary<PolicyIR> = fc
  .uniqueArray(
    fc.tuple(fc.constantFrom(...REQUEST_TYPES), fc.array(fc.array(ruleBody, { maxLength: 4 }), { maxLength: 6 })),
    { maxLength: 4, selector: (t) => t[0] },
  )
  .map((types) => {
    let n = 0;
    return {
      requestTypes: types.map(([type, sets]) => ({
        type,
        ruleSets: sets.map((rules, index) => ({ index, rules: rules.map((r) => ({ ...r, ruleId: `r${n++}`, explicitId: false }) as RuleIR) })),
      })),
    };
  });

const authMeta = fc.oneof(
  fc.array(fc.record({ meta: fc.constantFrom(...METAS), complete: fc.boolean() }), { minLength: 1, maxLength: 3 }),
  fc.constantFrom([], undefined, [{ meta: '', complete: true }], [{ meta: '/abs', complete: true }], 'junk'),
);

export const request: fc.Arbitrary<KssRequest> = fc.record({
  request_type: fc.constantFrom(...REQUEST_TYPES, 'bogus'),
  profile: fc.oneof(
    fc.record({ profile_id: fc.constantFrom(...HEX, HEX[0]!.toUpperCase(), 'beef'), profile_words: fc.constantFrom(...WORDS, ['a']) }),
    fc.constantFrom(undefined, null, {}, { profile_words: WORDS[2] }),
  ),
  auth_meta: authMeta,
}) as fc.Arbitrary<KssRequest>;

/** Arrival times over three days around the dates above, in steps of ~17 minutes. */
export const arrival = fc.integer({ min: 0, max: 3 * 24 * 4 }).map((k) => Date.parse('2022-03-14T00:00:00Z') + k * 17 * 60_000);
