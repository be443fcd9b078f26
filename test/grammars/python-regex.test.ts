import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translatePythonRegex } from '../../compiler/grammars/python-regex.js';
import { flagPrefix, pattern } from './regex-gen.js';

describe('translatePythonRegex', () => {
  it('keeps the written text, marks `!` as inverted and always uses the `u` flag', () => {
    const r = translatePythonRegex('!\\.pdf$', false);
    expect(r.errors).toEqual([]);
    expect(r.value).toMatchObject({ kind: 'regex', source: '!\\.pdf$', inverted: true, jsFlags: 'u' });
    expect(new RegExp(r.value!.jsSource, r.value!.jsFlags).test('a.PDF')).toBe(true);
    expect(translatePythonRegex('\\.pdf$', true).value!.jsSource).toBe('\\.pdf(?=\\n?$)');
    // A pattern that can match empty is kept off the middle of a surrogate pair (V8 tries there).
    expect(translatePythonRegex('(?a)(?!\\B)', true).value!.jsSource).toMatch(/^\(\?:\(\?<=\[\^\]\)\|\(\?=\[\^\]\)\|\^\)/);
  });

  // [pattern, start, end, message]: offsets in the string as written, counting a leading `!`.
  const errors: [string, number, number, string][] = [
    ['a*+', 1, 3, 'possessive quantifier `*+` has no JavaScript equivalent'],
    ['!a{1,2}+', 2, 8, 'possessive quantifier `{1,2}+` has no JavaScript equivalent'],
    ['x(?>ab)', 1, 4, 'atomic group `(?>...)` has no JavaScript equivalent'],
    ['(a)(?(1)b|c)', 3, 6, 'conditional group `(?(id)yes|no)` has no JavaScript equivalent'],
    ['(?<=a+)b', 0, 7, 'look-behind requires fixed-width pattern'],
    ['!ab(c', 3, 5, 'missing ), unterminated subpattern'],
    ['ab)', 2, 3, 'unbalanced parenthesis'],
    ['a[bc', 1, 4, 'unterminated character set'],
    ['!*a', 1, 2, 'nothing to repeat'],
    ['^*', 1, 2, 'nothing to repeat'],
    ['a**', 2, 3, 'multiple repeat'],
    ['a{3,2}', 1, 6, 'min repeat greater than max repeat'],
    ['ab\\q', 2, 4, 'bad escape \\q'],
    ['ab\\', 2, 3, 'bad escape (end of pattern)'],
    ['\\x4g', 0, 2, 'incomplete escape \\x4'],
    ['[z-a]', 1, 4, 'bad character range z-a'],
    ['[\\d-z]', 1, 5, 'bad character range \\d-z'],
    ['\\2(a)', 0, 2, 'invalid group reference 2'],
    ['(a\\1)', 2, 4, 'cannot refer to an open group'],
    ['(?P<n>a)(?P<n>b)', 8, 14, "redefinition of group name 'n' as group 2; was group 1"],
    ['(?P=x)', 0, 6, "unknown group name 'x'"],
    ['(?<n>a)', 0, 3, 'unknown extension ?<n'],
    ['a(?i)', 1, 5, 'global flags not at the start of the expression'],
    ['(?L)a', 0, 4, "bad inline flags: cannot use 'L' flag with a str pattern"],
    ['(?x:a b)', 0, 4, 'a scoped verbose flag `(?x:...)` is not supported'],
    ['\\N{EM DASH}', 0, 11, 'named characters `\\N{...}` are not supported'],
    ['(a)?b\\1', 5, 7, 'back-reference to group 1, which may be unset or from an earlier repetition here, has no exact JavaScript equivalent'],
    ['\\477', 0, 4, 'octal escape value \\477 outside of range 0-0o377'],
    ['(?P<name', 0, 8, 'missing >, unterminated name'],
    ['(?#note', 0, 7, 'missing ), unterminated comment'],
    ['(?i', 0, 3, 'missing -, : or )'],
    ['(?q)', 0, 3, 'unknown extension ?q'],
  ];
  it.each(errors)('%s: error at [%i, %i)', (pattern, start, end, message) => {
    const r = translatePythonRegex(pattern, false);
    expect(r.value).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ message, start, end });
  });

  it('translates the SPEC appendix spellings', () => {
    const js = (p: string, cs = true) => new RegExp(translatePythonRegex(p, cs).value!.jsSource, 'u');
    expect(js('(?P<y>\\d{4})-(?P=y)').test('2022-2022')).toBe(true);
    expect(js('(?P<y>\\d{4})-(?P=y)').test('2022-2023')).toBe(false);
    expect(js('\\Aab\\Z').test('ab\n')).toBe(false);
    expect(js('ab$').test('ab\n')).toBe(true);
    expect(js('\\d').test('٣')).toBe(true);
    expect(js('\\w').test('é')).toBe(true);
    expect(js('\\s').test('\x1c')).toBe(true);
    expect(js('\\s').test('\ufeff')).toBe(false);
    expect(js('a{,2}b').test('b')).toBe(true);
    expect(js('(?i)K').test('\u212a')).toBe(true);
    expect(js('i', false).test('İ')).toBe(true);
    expect(js('(?s)a.b').test('a\nb')).toBe(true);
    expect(js('a.b').test('a\rb')).toBe(true);
    expect(js('(?x) a b  # spaces and comments go').test('ab')).toBe(true);
  });

  it('rejects deep nesting instead of running out of stack', () => {
    expect(translatePythonRegex('('.repeat(100) + 'a' + ')'.repeat(100), false).errors).toEqual([]);
    for (const n of [101, 5000]) {
      const r = translatePythonRegex('x' + '(?:'.repeat(n) + 'a' + ')'.repeat(n), false);
      expect(r.errors[0]).toMatchObject({ message: 'groups nested more than 100 deep', start: 301, end: 304 });
    }
  });

  it('never throws on arbitrary text', () => {
    for (const p of ['(?', '(?P', '(?P<', '[', '[^', '\\', '(?#', '((((', '))))', '[[[', '(?<', '(?i', '(?-']) {
      expect(translatePythonRegex(p, false).errors.length).toBeGreaterThan(0);
    }
  });

  it('returns a value or errors, never both and never an exception, for random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'()[]{}?*+|^$.\\-,:=!<>#Pabx01iLmsu\n '), maxLength: 12 }), fc.boolean(), (p, cs) => {
        const r = translatePythonRegex(p, cs);
        expect(r.value === null).toBe(r.errors.length > 0);
        if (r.value) expect(() => new RegExp(r.value!.jsSource, r.value!.jsFlags)).not.toThrow();
        for (const e of r.errors) expect(0 <= e.start && e.start <= e.end && e.end <= p.length).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('translates `!p` as p, inverted, with every error one character later', () => {
    fc.assert(
      fc.property(flagPrefix, pattern, fc.boolean(), (f, p, cs) => {
        const plain = translatePythonRegex(f + p, cs);
        const inv = translatePythonRegex('!' + f + p, cs);
        expect(inv.value && { ...inv.value, source: inv.value.source.slice(1), inverted: false }).toEqual(plain.value);
        expect(inv.errors).toEqual(plain.errors.map((e) => ({ ...e, start: e.start + 1, end: e.end + 1 })));
      }),
      { numRuns: 500 },
    );
  });
});
