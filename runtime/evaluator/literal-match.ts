/** The runtime half of compiler/optimize/literal-path.ts: string tests standing in for path RegExps. */
import type { LiteralPath } from '../../compiler/optimize/literal-path.js';

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

// The patterns of a rule are tried on the same subject one after the other: remember the last answer.
let lastSubject = '';
let lastAscii = true;

/**
 * Whether the literal test decides `subject` exactly like the pattern's RegExp would. A meta ending in
 * a line break is left to the RegExp: Python's `$` also matches before a final newline.
 */
export function literalApplies(lit: LiteralPath, subject: string): boolean {
  return subjectTakesLiterals(lit.caseSensitive, subject);
}

/** literalApplies for every literal path of the given case-sensitivity. */
export function subjectTakesLiterals(caseSensitive: boolean, subject: string): boolean {
  if (subject.charCodeAt(subject.length - 1) === 10) return false;
  if (caseSensitive) return true;
  if (subject !== lastSubject) {
    lastAscii = ASCII.test(subject);
    lastSubject = subject;
  }
  return lastAscii;
}

export function literalMatches(lit: LiteralPath, subject: string): boolean {
  return literalTest(LITERAL_TEST[lit.test], lit.text, subject);
}

/** The tests by number, for programs kept in typed arrays (literal-meta.ts). */
export const LITERAL_TEST = { root: 0, anywhere: 1, component: 2, base: 3 } as const;

export function literalTest(test: number, t: string, subject: string): boolean {
  switch (test) {
    case LITERAL_TEST.root:
      return subject.startsWith(t) && (subject.length === t.length || subject.charCodeAt(t.length) === 47);
    case LITERAL_TEST.anywhere:
      return subject.includes(t);
    case LITERAL_TEST.component: {
      for (let at = subject.indexOf(t); at >= 0; at = subject.indexOf(t, at + 1)) {
        const end = at + t.length;
        if (end === subject.length || subject.charCodeAt(end) === 47) return true;
      }
      return false;
    }
    default:
      return subject.length >= t.length && subject.endsWith(t) && (subject.length === t.length || subject.charCodeAt(subject.length - t.length - 1) === 47);
  }
}

/**
 * The root and base tests on a text held in `code` from `at` on, two UTF-16 units per word (low half
 * first), as literal-meta.ts inlines short texts: the same answers as literalTest.
 */
export function inlineLiteralTest(test: number, code: Int32Array, at: number, length: number, subject: string): boolean {
  const n = subject.length;
  if (n < length) return false;
  const start = test === LITERAL_TEST.root ? 0 : n - length;
  for (let j = 0; j < length; j++) {
    if (subject.charCodeAt(start + j) !== ((code[at + (j >>> 1)]! >>> ((j & 1) << 4)) & 0xffff)) return false;
  }
  if (n === length) return true;
  return subject.charCodeAt(test === LITERAL_TEST.root ? length : n - length - 1) === 47;
}
