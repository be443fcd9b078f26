/**
 * The language server's analysis by sections (compiler/sections/) must be the analysis of
 * `kss check`: after any sequence of edits, the same diagnostics and the same AST as
 * `analyzePolicy` on the same text, whether it reused sections, read them again, or fell back to
 * reading the whole text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzePolicy } from '../../compiler/analyze.js';
import type { AnalyzeOptions, AnalyzeResult } from '../../compiler/analyze.js';
import { IncrementalAnalyzer } from '../../compiler/sections/incremental.js';
// @ts-expect-error: a plain .mjs workload generator without types
import { bigPolicy } from '../../bench/workloads/lsp-policy.mjs';

const example = (f: string) => readFileSync(new URL(`../../examples/${f}`, import.meta.url), 'utf8');
/** Policies read by sections; then two whose request types share anchors (read whole until an edit breaks that). */
const BASES = [...['basic.yml', 'throttles.yml', 'time-windows.yml'].map(example), bigPolicy(200), example('keyserver.yml'), example('enterprise.keyserver.yml')];
const SHARING_ANCHORS = 2;

/** The AST without the yaml package's nodes (a section's are read from the section's own text). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (key !== 'node') out[key] = plain(item);
  return out;
}

function expectSame(incremental: AnalyzeResult, whole: AnalyzeResult): void {
  expect(incremental.text).toBe(whole.text);
  expect(incremental.diagnostics).toStrictEqual(whole.diagnostics);
  expect(incremental.ast === null).toBe(whole.ast === null);
  expect(plain(incremental.ast?.requestTypes)).toStrictEqual(plain(whole.ast?.requestTypes));
}

/** Pieces that change the YAML's structure as well as its values, and plain typing. */
const PIECES = [
  '\n', '\n\n', ' ', '  ', '\t', '- ', '- - ', ':', ': ', '#', '# note\n', '*', '&a ', '*a', '<<: *a\n', '"', "'", '[', ']', '{', '}', ',',
  '---\n', '...\n', '\r\n', '\r', '?', '!', '%', 'x', 'rule', 'meta-', '\nrename:\n', '\ndecrypt:\n  - - rule: approve-rule\n', 'rule_id: x',
  '\n  - - rule: approve-rule\n', '\n    - rule: per-profile-throttle-rule\n      per_day: 3\n', 'search:', '\nsecure_export:\n- - rule: meta-rule\n  paths: [a]\n',
  "time_start: '9:00'", '17:00', 'yes', '\u2028', '\u0085',
];
/** What typing mostly is: characters of a word, a space, a new indented line. */
const TYPING = ['a', 'e', 'r', '-', '_', '0', '7', ' ', '\n    ', '\n      '];
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.nat({ max: 3 }), weight: 2 }, { arbitrary: fc.nat({ max: 40 }), weight: 1 }),
  insert: fc.oneof(
    { arbitrary: fc.array(fc.constantFrom(...TYPING), { maxLength: 4 }).map((p) => p.join('')), weight: 3 },
    { arbitrary: fc.constantFrom(...PIECES), weight: 2 },
    { arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }).map((p) => p.join('')), weight: 1 },
  ),
  // Most edits land at a line start or end, where typing a key or a list item starts.
  snap: fc.constantFrom('none', 'lineStart', 'lineEnd'),
});
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, e: Edit): string {
  let at = Math.floor(e.at * text.length);
  if (e.snap === 'lineStart') at = text.lastIndexOf('\n', at - 1) + 1;
  if (e.snap === 'lineEnd') at = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
  return text.slice(0, at) + e.insert + text.slice(at + e.remove);
}

describe('analysis by sections', () => {
  it('equals the whole analysis after any sequence of edits, and mostly reuses sections', () => {
    let versions = 0;
    let bySections = 0;
    let reused = 0;
    const options: AnalyzeOptions = { config: { severity: { 'KSS3005': 'off', 'unknown-argument': 'warning' } } };
    fc.assert(
      fc.property(fc.constantFrom(...BASES.keys()), fc.array(edit, { minLength: 1, maxLength: 12 }), fc.boolean(), (base, edits, configured) => {
        const analyzer = new IncrementalAnalyzer();
        let text = BASES[base]!;
        const opts = configured ? options : {};
        expectSame(analyzer.analyze(text, 'keyserver.yml', opts), analyzePolicy(text, 'keyserver.yml', opts));
        for (const e of edits) {
          text = apply(text, e);
          const whole = analyzePolicy(text, 'keyserver.yml', opts);
          expectSame(analyzer.analyze(text, 'keyserver.yml', opts), whole);
          // Versions with YAML errors, or with anchors shared between request types, are read whole.
          if (base >= BASES.length - SHARING_ANCHORS || !whole.ast) continue;
          versions++;
          if (analyzer.last) {
            bySections++;
            if (analyzer.last.read < analyzer.last.sections) reused++;
          }
        }
      }),
      { numRuns: 250 },
    );
    // Not a vacuous comparison: most versions that parse were analysed by sections, reusing some.
    expect(bySections / versions).toBeGreaterThan(0.4);
    expect(reused / versions).toBeGreaterThan(0.3);
  }, 240_000);

  it('reads again only the request type an edit touches', () => {
    const analyzer = new IncrementalAnalyzer();
    const text = bigPolicy(400);
    analyzer.analyze(text, 'keyserver.yml');
    expect(analyzer.last).toEqual({ sections: 4, read: 4, checked: 4, moved: 0 });
    // A change inside the third request type that keeps its lines: the fourth moves by one character,
    // and is moved (its offsets shifted), not built and checked again.
    const at = text.indexOf('per_day: 1', text.indexOf('secure_export:'));
    const edited = `${text.slice(0, at)}per_day: 1${text.slice(at + 'per_day: '.length)}`;
    const result = analyzer.analyze(edited, 'keyserver.yml');
    expect(analyzer.last).toEqual({ sections: 4, read: 1, checked: 1, moved: 1 });
    expectSame(result, analyzePolicy(edited, 'keyserver.yml'));
    // The same edit in the last request type: the three before it are reused as they stand.
    const last = edited.lastIndexOf('per_day: ');
    const again = `${edited.slice(0, last)}per_day: x${edited.slice(last + 'per_day: '.length + 2)}`;
    const second = analyzer.analyze(again, 'keyserver.yml');
    expect(analyzer.last).toEqual({ sections: 4, read: 1, checked: 1, moved: 0 });
    expect(second.diagnostics.map((d) => [d.code, d.range.start.offset])).toEqual([['KSS1105', last + 'per_day: '.length]]);
    expectSame(second, analyzePolicy(again, 'keyserver.yml'));
  });

  it('reads the lines before the first key with the first section, which an edit there alone reads again', () => {
    const analyzer = new IncrementalAnalyzer();
    const body = bigPolicy(400).replace(/^# .*\n/, '');
    const text = `---\n# owner: security team\n\n${body}`;
    expectSame(analyzer.analyze(text, 'keyserver.yml'), analyzePolicy(text, 'keyserver.yml'));
    expect(analyzer.lastRead!.sections[0]).toMatchObject({ start: 0, line: 0, keyAt: text.indexOf('decrypt:') });
    // The comment edited (same lines): the first section is read and checked again, the others kept.
    const edited = text.replace('security team', 'the security team');
    expectSame(analyzer.analyze(edited, 'keyserver.yml'), analyzePolicy(edited, 'keyserver.yml'));
    expect(analyzer.last).toEqual({ sections: 4, read: 1, checked: 1, moved: 3 });
  });

  it('reads the whole text when a request type uses an anchor of another, or repeats one', () => {
    const analyzer = new IncrementalAnalyzer();
    const shared = "decrypt:\n  - - &office {rule: time-range-rule, time_start: '9:00', time_end: '17:00'}\nsearch:\n  - - *office\n";
    expectSame(analyzer.analyze(shared, 'k.yml'), analyzePolicy(shared, 'k.yml'));
    expect(analyzer.last).toBeNull();
    const repeated = 'decrypt:\n  - - rule: approve-rule\ndecrypt:\n  - - rule: deny-rule\n';
    expectSame(analyzer.analyze(repeated, 'k.yml'), analyzePolicy(repeated, 'k.yml'));
    expect(analyzer.last).toBeNull();
    // An anchor and its alias in one request type stay within its section.
    const own = "decrypt:\n  - - &office {rule: time-range-rule, time_start: '9:00', time_end: '17:00'}\n  - - <<: *office\nsearch:\n  - - rule: approve-rule\n";
    expectSame(analyzer.analyze(own, 'k.yml'), analyzePolicy(own, 'k.yml'));
    expect(analyzer.last).toMatchObject({ sections: 2 });
  });

  it('reads the whole text when a line starts with a tab (it can end a section as the section alone does not)', () => {
    const analyzer = new IncrementalAnalyzer();
    // Read whole, a YAML error (the scalar and the next key read as one implicit key); each section alone reads.
    const tabbed = 'decrypt:\n\t# tab comment\n        b\nrename:\n';
    expectSame(analyzer.analyze(tabbed, 'k.yml'), analyzePolicy(tabbed, 'k.yml'));
    expect(analyzer.last).toBeNull();
  });
});
