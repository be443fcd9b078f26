import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pythonLower } from '../../compiler/grammars/python-lower.js';
import { translatePathPattern } from '../../compiler/grammars/path-pattern.js';

function matches(pattern: string, meta: string, caseSensitive = true): boolean {
  const r = translatePathPattern(pattern, caseSensitive);
  expect(r.errors).toEqual([]);
  return new RegExp(r.value!.jsSource, r.value!.jsFlags).test(caseSensitive ? meta : pythonLower(meta));
}

/**
 * SPEC §4.1 read literally, with a backtracking `*` (any run of characters other than `/`), and the
 * reference's `rstrip("/")` of directory patterns (metas here never end in a line break).
 */
function specMatches(p: string, s: string): boolean {
  const ends = (pat: string, from: number): number[] => {
    if (pat === '') return [from];
    if (pat[0] === '*') {
      const out: number[] = [];
      for (let j = from; ; j++) {
        out.push(...ends(pat.slice(1), j));
        if (j >= s.length || s[j] === '/') break;
      }
      return out;
    }
    return s.startsWith(pat[0]!, from) ? ends(pat.slice(1), from + 1) : [];
  };
  const slashes = [...s].flatMap((c, i) => (c === '/' ? [i] : []));
  if (p.startsWith('*')) return [...Array(s.length + 1).keys()].some((i) => ends(p.slice(1), i).length > 0);
  if (p.startsWith('/')) return ends(p.replace(/\/+$/, ''), 0).some((j) => j === s.length || s[j] === '/');
  if (p.endsWith('/')) return slashes.some((i) => ends(p.replace(/\/+$/, ''), i + 1).some((j) => s[j] === '/'));
  if (p.includes('/')) return slashes.some((i) => ends(p, i + 1).some((j) => j === s.length || s[j] === '/'));
  return ends(p, 0).includes(s.length) || slashes.some((i) => ends(p, i + 1).includes(s.length));
}

describe('translatePathPattern (SPEC §4.1)', () => {
  const table: [string, string, boolean][] = [
    // P starts with `*`: the rest anywhere, unanchored.
    ['*.ext', '/a/b.ext', true],
    ['*.ext', '/a/b.extra/c', true],
    ['*.ext', 'b.ex', false],
    ['*', 'anything', true],
    // P starts with `/`: a whole-component prefix from the root.
    ['/tax*', '/taxi', true],
    ['/tax*', '/taxes/2022/x.pdf', true],
    ['/tax*', '/tax', true],
    ['/tax*', '/a/taxi', false],
    ['/tax*', 'taxi', false],
    ['/finance', '/finance/x', true],
    ['/finance', '/finances', false],
    ['/finance//', '/finance', true],
    ['/reports/', '/reports/a', true],
    ['/reports/', '/reports', true],
    // P contains `/` elsewhere: whole components anywhere.
    ['sub/co*mp', '/x/sub/comp', true],
    ['sub/co*mp', '/sub/coXmp/y', true],
    ['sub/co*mp', '/sub/co/mp', false],
    ['sub/co*mp', '/xsub/comp', false],
    ['sub/co*mp', 'sub/comp', false],
    ['tax/sub', 'a/tax/sub', true],
    // P ends with `/`: a directory component anywhere, not the last one.
    ['hr/', '/hr/x', true],
    ['hr/', '/a/hr/b', true],
    ['hr/', '/a/hr', false],
    ['hr/', 'hr/x', false],
    ['hr/', 'a/hr/x', true],
    // No `/`: a base-name match.
    ['report.pdf', '/a/report.pdf', true],
    ['report.pdf', 'report.pdf', true],
    ['report.pdf', '/report.pdf/x', false],
    ['report.pdf', '/myreport.pdf', false],
    ['README.*', '/a/README.md', true],
    ['README.*', '/a/README.md/x', false],
    ['ta*xi', '/ta/xi', false],
    // Regex metacharacters are literal.
    ['a.b', '/axb', false],
    ['a.b', '/a.b', true],
    ['(x)', '/(x)', true],
    ['(x)', '/x', false],
    ['a+b', '/a+b', true],
    ['a+b', '/aab', false],
    ['[ab]', '/[ab]', true],
    ['[ab]', '/a', false],
    ['/little sub/Sub', '/little sub/Sub/x', true],
    // ALL trailing slashes go (the reference's `rstrip("/")`).
    ['hr//', '/a/hr/b', true],
    ['hr///', 'a/hr/b', true],
    ['hr//', '/a/hr//b', true],
    ['hr//', '/a/hr', false],
    ['/hr//', '/hr', true],
    ['/', '/anything', true],
    // The ends are Python's `$`: the end, or before a final line break (and only one).
    ['/report.pdf', '/report.pdf\n', true],
    ['report.pdf', '/a/report.pdf\n', true],
    ['report.pdf', 'report.pdf\n', true],
    ['a/report.pdf', '/x/a/report.pdf\n', true],
    ['report.pdf', '/a/report.pdf\n\n', false],
    ['report.pdf', '/a/report.pdf\nx', false],
    ['a/b', '/a/b\n/c', false],
    ['report.*', '/a/report.pdf\n', true],
    ['hr/', '/a/hr\n', false],
    ['*.pdf', 'x.pdf\n', true],
    ['*.pdf\n', 'x.pdf', false],
  ];
  it.each(table)('%s on %s → %s', (pattern, meta, expected) => {
    expect(matches(pattern, meta)).toBe(expected);
  });

  it('folds case the way Python does, on the lower-cased meta', () => {
    expect(matches('/café', '/CAFÉ/x', false)).toBe(true);
    expect(matches('Über/', '/a/ÜBER/b', false)).toBe(true);
    expect(matches('Basename.EXT', '/a/basename.ext', false)).toBe(true);
    expect(matches('Basename.EXT', '/a/basename.ext', true)).toBe(false);
    // Python's IGNORECASE makes `s` match `ſ` and `k` match the Kelvin sign.
    expect(matches('sk', '/ſ\u212a', false)).toBe(true);
  });

  it('keeps the text and marks `!` patterns inverted, translating the rest', () => {
    const r = translatePathPattern('!/taxi', false);
    expect(r.value).toMatchObject({ kind: 'path', source: '!/taxi', inverted: true, jsFlags: 'u' });
    expect(r.value!.jsSource).toBe(translatePathPattern('/taxi', false).value!.jsSource);
  });

  it('rejects an empty pattern and warns about `**`', () => {
    expect(translatePathPattern('!', true).errors[0]).toMatchObject({ message: 'empty path pattern', start: 0, end: 1 });
    expect(translatePathPattern('', true).errors).toHaveLength(1);
    expect(translatePathPattern('!a**b', true).warnings[0]).toMatchObject({ start: 2, end: 4 });
  });

  it('agrees with SPEC §4.1 read literally, on random patterns and metas', () => {
    const ch = fc.constantFrom('a', 'b', '/', '*', '.', '(', 'é');
    const mc = fc.constantFrom('a', 'b', '/', '.', '(', 'é');
    fc.assert(
      fc.property(fc.string({ unit: ch, minLength: 1, maxLength: 7 }), fc.string({ unit: mc, maxLength: 9 }), (p, meta) => {
        expect(matches(p, meta)).toBe(specMatches(p, meta));
        expect(matches('/' + p, '/' + meta)).toBe(specMatches('/' + p, '/' + meta));
      }),
      { numRuns: 3000 },
    );
  });

  it('never lets `*` cross a `/`', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '/'), maxLength: 8 }), (middle) => {
        expect(matches('*x*y', `x${middle}y`)).toBe(!middle.includes('/'));
      }),
    );
  });
});
