/**
 * The reference's regex dialect (Python 3 `re`, searched with `re.search`, IGNORECASE unless
 * case-sensitive) translated to a JavaScript RegExp with identical meaning, or errors that name the
 * construct at its position. See README.md for what is translated and what is rejected.
 */
import type { IToken } from 'chevrotain';
import type { MetaPatternIR } from '../ir/types.js';
import { cachedTranslator, fail, FragmentFailure, type FragmentError, type FragmentResult } from './result.js';
import { Builder, type Built } from './regex/build.js';
import { extensionError } from './regex/extensions.js';
import { Emitter } from './regex/emit.js';
import { regexLexer } from './regex/lexer.js';
import { regexParser } from './regex/parser.js';

export const REGEX_HELP = 'regexes use Python `re` syntax; see the policy documentation for what kss accepts';

/** See `cachedTranslator`: cached (translating one costs ~0.1 ms), never throws, copies. */
export const translatePythonRegex = cachedTranslator<MetaPatternIR>('regex', translate);

/** A pattern's tree, as the Builder checked it; `base` is where it starts in the string as written. */
export interface PythonRegexTree extends Built {
  base: number;
}

/** The tree of a valid pattern, or null (translatePythonRegex says why). */
export function pythonRegexTree(written: string, caseSensitive: boolean): PythonRegexTree | null {
  const read = readTree(written, caseSensitive);
  return 'tree' in read ? read.tree : null;
}

function readTree(written: string, caseSensitive: boolean): { tree: PythonRegexTree } | { errors: FragmentError[] } {
  const base = written.startsWith('!') ? 1 : 0;
  const text = written.slice(base);
  const at = (start: number, end: number, message: string, help?: string) => ({ errors: [{ message, start: start + base, end: end + base, ...(help ? { help } : {}) }] });

  const lexed = regexLexer.tokenize(text);
  if (lexed.errors.length > 0) {
    const e = lexed.errors[0]!;
    return at(e.offset, e.offset + Math.max(1, e.length), `unexpected \`${text.slice(e.offset, e.offset + Math.max(1, e.length))}\``);
  }
  const deep = tooDeep(lexed.tokens);
  if (deep) return at(deep.startOffset, deep.startOffset + deep.image.length, `groups nested more than ${MAX_DEPTH} deep`, 'kss limits nesting so that checking never runs out of stack; flatten the pattern');
  regexParser.input = lexed.tokens;
  const cst = regexParser.pattern();
  if (regexParser.errors.length > 0) {
    const err = syntaxError(text, lexed.tokens, regexParser.errors[0]!.token);
    return at(err.start, err.end, err.message, err.help);
  }
  try {
    return { tree: { ...new Builder(text, base, !caseSensitive).build(cst), base } };
  } catch (e) {
    if (e instanceof FragmentFailure) return { errors: [e.error] };
    throw e;
  }
}

function translate(written: string, caseSensitive: boolean): FragmentResult<MetaPatternIR> {
  const read = readTree(written, caseSensitive);
  if ('errors' in read) return fail(read.errors);
  const { root, flags, minWidth, base } = read.tree;
  try {
    let jsSource = new Emitter(base).emit(root, flags);
    // V8 also tries an empty match *between the halves of a surrogate pair* (where look-arounds see
    // no character at all), a position Python does not have: a pattern that can match empty must
    // start where there is a character before or after, or at the start.
    if (minWidth === 0) jsSource = `(?:(?<=[^])|(?=[^])|^)(?:${jsSource})`;
    // The translation is ours, so a JavaScript syntax error here is a kss bug; report it, never throw.
    new RegExp(jsSource, 'u');
    return {
      value: { kind: 'regex', source: written, inverted: base === 1, jsSource, jsFlags: 'u' },
      errors: [],
      warnings: [],
    };
  } catch (e) {
    if (e instanceof FragmentFailure) return fail([e.error]);
    return fail([{ message: `kss could not translate this regex (${(e as Error).message})`, start: base, end: written.length, help: 'please report this as a kss bug' }]);
  }
}

/** Python itself gives up near 500 levels (RecursionError); the recursive parser here needs a bound. */
const MAX_DEPTH = 100;

function tooDeep(tokens: IToken[]): IToken | undefined {
  let depth = 0;
  for (const tok of tokens) {
    if (GROUP_OPENS.has(tok.tokenType.name) && ++depth > MAX_DEPTH) return tok;
    if (tok.tokenType.name === 'Close') depth--;
  }
  return undefined;
}

const GROUP_OPENS = new Set(['Open', 'NamedGroup', 'NonCapture', 'LookAhead', 'LookBehind', 'ScopedFlags', 'OtherExtension']);

/** Python's message for a grammar error: what is unbalanced or unterminated, at its opening. */
function syntaxError(text: string, tokens: IToken[], bad: IToken): FragmentError {
  if (bad.tokenType.name === 'Close') {
    return { message: 'unbalanced parenthesis', start: bad.startOffset, end: bad.startOffset + 1, help: 'escape it (`\\)`) to match a parenthesis' };
  }
  const stack: IToken[] = [];
  for (const tok of tokens) {
    const name = tok.tokenType.name;
    if (GROUP_OPENS.has(name) || name.startsWith('ClassOpen')) stack.push(tok);
    else if (name === 'Close' || name === 'ClassClose') stack.pop();
  }
  const open = stack[stack.length - 1];
  if (open?.tokenType.name.startsWith('ClassOpen')) {
    return { message: 'unterminated character set', start: open.startOffset, end: text.length, help: 'close it with `]`, or write `\\[` to match a bracket' };
  }
  if (open?.tokenType.name === 'OtherExtension') {
    return { ...extensionError(text, open.startOffset), start: open.startOffset, end: text.length };
  }
  if (open) {
    return { message: 'missing ), unterminated subpattern', start: open.startOffset, end: text.length, help: 'close the group with `)`, or write `\\(` to match a parenthesis' };
  }
  const start = Number.isNaN(bad.startOffset) ? text.length : bad.startOffset;
  return { message: `unexpected \`${bad.image}\``, start, end: start + (bad.image?.length ?? 0) };
}
