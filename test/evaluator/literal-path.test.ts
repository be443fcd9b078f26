/**
 * The optimiser's string tests for path patterns must decide exactly like the grammar's RegExp
 * wherever the runtime uses them (literalApplies), on random patterns and metas.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { translatePathPattern } from '../../compiler/grammars/path-pattern.js';
import { lowerMeta } from '../../runtime/evaluator/semantics.js';
import { literalPath } from '../../compiler/optimize/literal-path.js';
import { literalApplies, literalMatches } from '../../runtime/evaluator/literal-match.js';

const piece = fc.constantFrom('a', 'B', 'k', 'K', 's', '/', '.', '*', ' ', '-', 'x', 'é', 'Ü', 'ſ', '\u212a', 'İ', '$', '(', '[');
const pattern = fc.array(piece, { minLength: 1, maxLength: 7 }).map((p) => p.join(''));
const meta = fc.array(piece, { maxLength: 9 }).map((p) => p.join(''));

describe('literal path tests', () => {
  it('agree with the translated RegExp on the (prefixed, lower-cased) meta', () => {
    fc.assert(
      fc.property(pattern, meta, fc.boolean(), fc.boolean(), (source, raw, caseSensitive, complete) => {
        const lit = literalPath(source, caseSensitive);
        const translated = translatePathPattern(source, caseSensitive).value;
        fc.pre(lit !== null && translated !== null);
        const text = caseSensitive ? raw : lowerMeta(raw);
        const subject = complete ? `/${text}` : text;
        fc.pre(literalApplies(lit!, subject));
        const regex = new RegExp(translated!.jsSource, translated!.jsFlags);
        expect(literalMatches(lit!, subject)).toBe(regex.test(subject));
      }),
      { numRuns: 3000 },
    );
  });

  it('covers the common shapes and leaves `*` inside a pattern to the RegExp', () => {
    expect(literalPath('/finance/', false)).toEqual({ test: 'root', text: '/finance', caseSensitive: false });
    expect(literalPath('!*.PDF', false)).toEqual({ test: 'anywhere', text: '.pdf', caseSensitive: false });
    expect(literalPath('hr/', true)).toEqual({ test: 'anywhere', text: '/hr/', caseSensitive: true });
    expect(literalPath('a/b', false)).toEqual({ test: 'component', text: '/a/b', caseSensitive: false });
    expect(literalPath('Report.pdf', false)).toEqual({ test: 'base', text: 'report.pdf', caseSensitive: false });
    expect(literalPath('a*b', false)).toBeNull();
    expect(literalPath('/café', false)).toBeNull();
  });
});
