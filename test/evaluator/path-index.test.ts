/**
 * The path index (runtime/evaluator/path-index.ts) must find exactly the literal path patterns whose
 * translated RegExp matches the subject, on random patterns and metas: non-ASCII text, case folding
 * traps (`ſ`, Kelvin sign, `İ`), `//`, a trailing `\n`, complete and incomplete metas. It may only
 * decline (null) a case-insensitive subject that is not ASCII.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translatePathPattern } from '../../compiler/grammars/path-pattern.js';
import { literalPath } from '../../compiler/optimize/literal-path.js';
import { PathIndex } from '../../runtime/evaluator/path-index.js';
import { metaSubject } from '../../runtime/evaluator/semantics.js';
import { decider, meta as authMeta } from './decide.js';

// Few letters, many slashes: random patterns and metas must often share components to match at all.
const piece = fc.constantFrom('a', 'a', 'b', 'B', 'K', 's', '/', '/', '/', '.', 'x', ' ', 'é', 'Ü', 'ſ', '\u212a', 'İ', '$', '(', '*', 'a/b', '/a/');
const pattern = fc.tuple(fc.boolean(), fc.array(piece, { minLength: 1, maxLength: 5 })).map(([inv, p]) => `${inv ? '!' : ''}${p.join('')}`);
const meta = fc.tuple(fc.array(fc.oneof(piece, fc.constant('\n')), { maxLength: 8 }), fc.constantFrom('', '', '\n', '/', '\n\n')).map(([p, end]) => p.join('') + end);

function indexed(sources: string[], caseSensitive: boolean) {
  const index = new PathIndex(caseSensitive);
  const entries = sources.flatMap((source) => {
    const lit = literalPath(source, caseSensitive);
    const translated = translatePathPattern(source, caseSensitive).value;
    if (lit === null || translated === null) return [];
    return [{ source, slot: index.add(lit), regex: new RegExp(translated.jsSource, translated.jsFlags) }];
  });
  return { index, entries };
}

describe('path index', () => {
  it('finds exactly the literal patterns whose RegExp matches', () => {
    let decided = 0;
    let matched = 0;
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 8 }), fc.array(meta, { minLength: 1, maxLength: 4 }), meta, meta, fc.boolean(), fc.boolean(), (sources, metas, before, after, caseSensitive, complete) => {
        const { index, entries } = indexed(sources, caseSensitive);
        // Metas made around each pattern's own text, so that many candidates are near misses or hits.
        const around = sources.map((src) => `${before}${src.replace(/^!/, '').replace(/\*/g, 'a')}${after}`);
        for (const raw of [...metas, ...around]) {
          const subject = metaSubject({ meta: raw, complete }, caseSensitive);
          const hits = index.matches(subject);
          if (hits === null) {
            expect(caseSensitive || /^[\x00-\x7f]*$/.test(subject)).toBe(false);
            continue;
          }
          decided++;
          for (const e of entries) {
            const expected = e.regex.test(subject);
            if (expected) matched++;
            expect({ source: e.source, subject, hit: hits.includes(e.slot) }).toEqual({ source: e.source, subject, hit: expected });
          }
          // Memoised: the same subject gives the same answer.
          expect(index.matches(subject)).toBe(hits);
        }
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: most subjects are decided by the index, and a fair number of patterns match.
    expect(decided).toBeGreaterThan(5000);
    expect(matched).toBeGreaterThan(1000);
  });

  it('covers each shape, the final line break and `//`', () => {
    const { index, entries } = indexed(['/finance/', '*.PDF', 'hr/', 'a/b', 'Report.pdf', '/', '*/x/', 'q//r/', '/home/p3'], false);
    const found = (meta: string, complete = true) => {
      const hits = index.matches(metaSubject({ meta, complete }, false))!;
      return entries.filter((e) => hits.includes(e.slot)).map((e) => e.source);
    };
    expect(found('Finance/2022/REPORT.PDF')).toEqual(['/finance/', '*.PDF', 'Report.pdf', '/']);
    expect(found('finance2/hr/a/b\n')).toEqual(['hr/', 'a/b', '/']);
    expect(found('x/a/bc')).toEqual(['/', '*/x/']);
    expect(found('a/b', false)).toEqual([]);
    expect(found('z/q//r/x/y')).toEqual(['/', '*/x/', 'q//r/']);
    expect(found('home/p3\n')).toEqual(['/', '/home/p3']);
    expect(found('home/p3\n\n')).toEqual(['/']);
    expect(index.matches('/café')).toBeNull();
    expect(new PathIndex(true).matches('/café')).toEqual([]);
  });

  it('gives each meta-rule only its own patterns out of the shared index', () => {
    const paths = (list: string[]) => `[${list.map((p) => `'${p}'`).join(', ')}]`;
    const many = Array.from({ length: 40 }, (_, k) => `/d${k}/`);
    const decide = decider(`decrypt:
- - rule: meta-rule
    paths: ${paths(['/finance', 'a/b'])}
- - rule: meta-rule
    paths: ${paths(['*.pdf', 'hr/'])}
- - rule: meta-rule
    paths: ${paths(many)}
- - rule: meta-rule
    case_sensitive: true
    paths: ${paths(['Report.pdf', 'x'])}
- - rule: meta-rule
    paths: ${paths(['!/secret/', 'zz'])}
`);
    const at = '2022-03-15T10:00:00Z';
    const ruleSet = (m: string) => decide({ request_type: 'decrypt', auth_meta: authMeta([m, true]) }, at).rule_set;
    expect(ruleSet('finance/q1.txt')).toBe(0);
    expect(ruleSet('z/a/b\n')).toBe(0);
    expect(ruleSet('y/a.pdf')).toBe(1);
    expect(ruleSet('x/hr/y')).toBe(1);
    expect(ruleSet('d39/x')).toBe(2);
    expect(ruleSet('d40/x')).toBe(3);
    expect(ruleSet('q/X')).toBe(4);
    expect(ruleSet('secret/y')).toBe(null);
  });
});
