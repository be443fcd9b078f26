/**
 * Formatting by sections (compiler/format/by-sections.ts) against formatting the whole text: byte
 * for byte the same result whenever it answers, over random policies in random layouts, odd YAML
 * around section boundaries (comments at every indentation, blank lines, anchors, block scalars,
 * document markers, repeated keys) and sequences of one-line edits reusing what it kept; the
 * analysis' Documents it borrows are left exactly as they were. It must answer for most plain
 * policies, or the language server would gain nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNode, isPair } from 'yaml';
import type { Document } from 'yaml';
import { SectionFormatter } from '../../compiler/format/by-sections.js';
import { formatPolicy } from '../../compiler/format/format.js';
import { IncrementalAnalyzer } from '../../compiler/sections/incremental.js';
// @ts-expect-error: a plain .mjs workload generator without types
import { bigPolicy } from '../../bench/workloads/lsp-policy.mjs';
import { layout, policy, render } from './arbitrary.js';

function snapshot(document: Document.Parsed): string {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (isNode(x) || isPair(x)) return [x.constructor.name, ...Object.entries(x).map(([k, v]) => [k, walk(v)])];
    return typeof x === 'number' && Object.is(x, -0) ? '-0' : x;
  };
  return JSON.stringify([document.commentBefore, document.comment, { ...document.directives }, walk(document.contents)]);
}

/** Formats `text` by sections with `formatter` (after `analyzer`'s analysis); true when it answered (and matched). */
function expectSameAsWhole(text: string, analyzer = new IncrementalAnalyzer(), formatter = new SectionFormatter()): boolean {
  analyzer.analyze(text, 'keyserver.yml');
  const read = analyzer.lastRead;
  if (!read) return false;
  expect(read.text).toBe(text);
  const before = read.sections.map((s) => snapshot(s.document));
  const result = formatter.format(text, read.sections);
  expect(read.sections.map((s) => snapshot(s.document))).toEqual(before);
  if (!result) return false;
  expect(result).toEqual(formatPolicy(text));
  return true;
}

/** Lines inside sections: comments at every indentation, blank lines, and what must make it read whole. */
const body = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(
    '  - - rule: meta-rule', '    - rule: approve-rule', '  -', '    - rule_id: r1', '      rule: per-profile-throttle-rule', '- - rule: approve-rule',
    '  - rule: approve-rule', '      per_day: 10', '      paths: [/a, /b]', '      paths: [/a,', '        /b]', '      days:', '        - 1', '      - 2',
    '    days: [1]', '# top comment', '#', '  # comment', '    # comment', '      # comment', '        # comment', '   # odd comment', '\t# tab comment',
    '', '', '  ', '      x: "a  b"', "      x: 'it''s'", '      x: "two', '  # lines"', '      rule: meta-rule # trailing', '  - [{rule: approve-rule}]',
    '    - {rule: approve-rule, per_day: 2}', '  x: 1', '    y: 2',
  ) },
  { weight: 1, arbitrary: fc.constantFrom(
    '---', '...', '%YAML 1.2', '      paths: &p [/a, /b]', '      paths: *p', '    - <<: {per_day: 3}', '      x: |', '        kept  ', '      x: >-',
    '        folded', '      x: !!str 1', '? x', '{"decrypt": [[{"rule": "approve-rule"}]]}',
  ) },
);
const key = fc.constantFrom('decrypt:', 'rename:', 'search:', 'decrypt: []', '"search":', 'rename: # on the key', 'secure_export:');
/** Rule sets as a request type holds them, and comment or blank lines at any indentation between them. */
const chunk = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(
    '  - - rule: meta-rule\n      paths: [/a, /b]', '  - - rule: approve-rule\n    - rule: per-profile-throttle-rule\n      per_day: 10',
    '  -\n    - rule: approve-rule', '  - - {rule: approve-rule, per_day: 2}', '  - [{rule: approve-rule}]', '  - - rule: meta-rule\n      days:\n        - 1\n        - 2',
    '  - - rule_id: x\n      rule: approve-rule # trailing', '  - - rule: meta-rule\n      paths: [/a,\n        /b]',
  ) },
  { weight: 4, arbitrary: fc.tuple(fc.nat({ max: 8 }), fc.constantFrom('# c', '#', '')).map(([n, c]) => `${' '.repeat(n)}${c}`) },
  { weight: 2, arbitrary: body.map((l) => (l.startsWith(' ') ? l : `  ${l}`)) },
);
/** Request types of rule sets and random lines, after random lines (the head). */
const head = fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('# head', '', '---', '  # indented') }, { weight: 1, arbitrary: body }), { maxLength: 3 });
const sectioned = fc.tuple(head, fc.array(fc.tuple(key, fc.array(chunk, { maxLength: 8 })), { minLength: 1, maxLength: 4 }))
  .map(([head, sections]) => [...head, ...sections.flatMap(([k, ls]) => [k, ...ls])]);
const line = fc.oneof(key, body);
const lines = fc.array(line, { minLength: 1, maxLength: 30 });

describe('formatting by sections equals formatting the whole text', () => {
  it('on odd YAML around section boundaries (property)', () => {
    let answered = 0;
    const formatter = new SectionFormatter();
    fc.assert(fc.property(sectioned, (ls) => void (expectSameAsWhole(`${ls.join('\n')}\n`, undefined, formatter) && formatter.last!.parts > 1 && answered++)), { numRuns: 2000 });
    // Most random texts read whole (a YAML error, a section ending in `-` alone...); enough do not.
    expect(answered).toBeGreaterThan(60);
  }, 240_000);

  it('on random policies in random layouts, comment lines added anywhere (property)', () => {
    let answered = 0;
    const comments = fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 })), { maxLength: 6 });
    fc.assert(
      fc.property(policy, layout, comments, fc.boolean(), (p, l, extra, noFinalNewline) => {
        const ls = render(p, l).text.split(/\r?\n/);
        for (const [at, indent] of extra) ls.splice(at % ls.length, 0, `${' '.repeat(indent)}# extra`);
        const text = ls.join(l.crlf ? '\r\n' : '\n');
        if (expectSameAsWhole(noFinalNewline ? text.replace(/\r?\n$/, '') : text)) answered++;
      }),
      { numRuns: 400 },
    );
    expect(answered).toBeGreaterThan(100);
  }, 240_000);

  it('over one-line edits, reusing the parts it formatted before (property)', () => {
    fc.assert(
      fc.property(fc.oneof(sectioned, lines), fc.array(fc.tuple(fc.nat(), line), { minLength: 1, maxLength: 8 }), (start, edits) => {
        const analyzer = new IncrementalAnalyzer();
        const formatter = new SectionFormatter();
        const ls = [...start];
        expectSameAsWhole(`${ls.join('\n')}\n`, analyzer, formatter);
        for (const [at, replacement] of edits) {
          ls[at % ls.length] = replacement;
          expectSameAsWhole(`${ls.join('\n')}\n`, analyzer, formatter);
        }
      }),
      { numRuns: 400 },
    );
  }, 240_000);

  it('formats only the section an edit touches of the benchmark\'s 5,000-line messy policy', () => {
    const ls = (bigPolicy(5000) as string).split('\n').map((l) => (l.startsWith('      per_day:') ? l.replace(': ', ':   ') : l));
    const analyzer = new IncrementalAnalyzer();
    const formatter = new SectionFormatter();
    expect(expectSameAsWhole(ls.join('\n'), analyzer, formatter)).toBe(true);
    expect(formatter.last).toEqual({ parts: 4, formatted: 4 });
    const perDay = ls.flatMap((l, i) => (l.startsWith('      per_day:') ? [i] : []));
    for (const at of [perDay[0]!, perDay[perDay.length - 1]!, perDay[200]!]) {
      ls[at] = `${ls[at]} `;
      expect(expectSameAsWhole(ls.join('\n'), analyzer, formatter)).toBe(true);
      expect(formatter.last).toEqual({ parts: 4, formatted: 1 });
    }
  }, 120_000);
});
