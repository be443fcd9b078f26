/**
 * Path patterns without `*` inside (SPEC §4.1) need no regular expression: a prefix, suffix or
 * substring test on the meta decides them. The plan records the test; the runtime's path index
 * (runtime/evaluator/path-index.ts) decides all of a request type's at once instead of the translated
 * RegExps whenever the answer is certainly the same: for case-sensitive patterns always, for
 * case-insensitive ones when the meta is ASCII (the meta is lower-cased first, and on ASCII text the
 * emitted case classes such as `[Kk\u212A]` can only meet the lower-case letter).
 * Mirrors the branches of compiler/grammars/path-pattern.ts; test/evaluator/path-index.test.ts holds
 * the two together.
 */

export interface LiteralPath {
  /**
   * root: meta starts with text, followed by `/` or the end; anywhere: meta contains text;
   * component: meta contains text followed by `/` or the end; base: meta equals text or ends with `/` + text.
   */
  test: 'root' | 'anywhere' | 'component' | 'base';
  /** Lower-cased unless the pattern is case-sensitive. */
  text: string;
  caseSensitive: boolean;
}

// Printable ASCII: every such character except `*` is a literal in a path pattern.
const SIMPLE = /^[\x20-\x29\x2b-\x7e]*$/;

export function literalPath(source: string, caseSensitive: boolean): LiteralPath | null {
  const p = source.startsWith('!') ? source.slice(1) : source;
  if (p === '') return null;
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  if (p.startsWith('*')) {
    const rest = p.slice(1);
    return SIMPLE.test(rest) ? { test: 'anywhere', text: fold(rest), caseSensitive } : null;
  }
  // `dir//`: readers differ on how many trailing slashes a directory pattern drops; leave it to the RegExp.
  if (!SIMPLE.test(p) || p.endsWith('//')) return null;
  if (p.startsWith('/')) return { test: 'root', text: fold(p.replace(/\/+$/, '')), caseSensitive };
  if (p.endsWith('/')) return { test: 'anywhere', text: fold(`/${p}`), caseSensitive };
  if (p.includes('/')) return { test: 'component', text: fold(`/${p}`), caseSensitive };
  return { test: 'base', text: fold(p), caseSensitive };
}
