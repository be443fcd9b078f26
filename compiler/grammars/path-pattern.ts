/**
 * Path patterns (SPEC §4.1) → a JavaScript RegExp searched in the (possibly `/`-prefixed, possibly
 * lower-cased) meta. `*` matches a run of characters other than `/`; everything else is literal.
 * Case-insensitive matching folds exactly as Python's IGNORECASE does (the reference matches path
 * patterns with `re`), through the same emitter as regexes.
 */
import { createToken, CstParser, Lexer, type IToken } from 'chevrotain';
import type { MetaPatternIR } from '../ir/types.js';
import { cachedTranslator, fail, type FragmentError, type FragmentResult } from './result.js';
import type { Flags, Node } from './regex/ast.js';
import { Emitter } from './regex/emit.js';

const Star = createToken({ name: 'Star', pattern: /\*/ });
const Slash = createToken({ name: 'Slash', pattern: /\// });
const Text = createToken({ name: 'Text', pattern: /[^*/]+/, line_breaks: true });
const tokens = [Star, Slash, Text];
const lexer = new Lexer(tokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

/** pattern := (Star | Slash | Text)* */
class PathParser extends CstParser {
  constructor() {
    super(tokens, { recoveryEnabled: false });
    this.performSelfAnalysis();
  }
  pattern = this.RULE('pattern', () => {
    this.MANY(() => this.OR([{ ALT: () => this.CONSUME(Star) }, { ALT: () => this.CONSUME(Slash) }, { ALT: () => this.CONSUME(Text) }]));
  });
}
const parser = new PathParser();

export const PATH_HELP = 'path patterns: `report.pdf` (a file name anywhere), `*.pdf`, `/finance` (from the root), `sub/dir`, `dir/`, `!` in front inverts';

/** See `cachedTranslator`: cached, never throws, copies. */
export const translatePathPattern = cachedTranslator<MetaPatternIR>('path pattern', translate);

function translate(written: string, caseSensitive: boolean): FragmentResult<MetaPatternIR> {
  const inverted = written.startsWith('!');
  const base = inverted ? 1 : 0;
  const p = written.slice(base);
  if (p === '') return fail([{ message: 'empty path pattern', start: 0, end: written.length, help: PATH_HELP }]);
  parser.input = lexer.tokenize(p).tokens;
  const cst = parser.pattern();
  const toks = [...((cst.children.Star as IToken[]) ?? []), ...((cst.children.Slash as IToken[]) ?? []), ...((cst.children.Text as IToken[]) ?? [])].sort(
    (a, b) => a.startOffset - b.startOffset,
  );
  const warnings: FragmentError[] = [];
  const doubled = p.indexOf('**');
  if (doubled >= 0) {
    warnings.push({ message: '`**` matches the same as `*`: a `*` never crosses a `/`', start: doubled + base, end: doubled + 2 + base, help: 'write one `*`, or a pattern per directory depth' });
  }
  const flags: Flags = { i: !caseSensitive, m: false, s: false, a: false };
  const emit = (from: number, to: number): string => new Emitter(base).emit(seq(toks, from, to), flags);
  // The reference's own compilation (policy_basics meta_str.py), with Python's `$` (the end, or
  // before a final line break) written as `(?=\n?$)`: a meta may end in `\n`.
  const END = '(?=\\n?$)';
  const noTrailingSlashes = p.replace(/\/+$/, '').length;
  let jsSource: string;
  if (p.startsWith('*')) {
    // `.*R`, searched: the rest anywhere, unanchored at both ends.
    jsSource = emit(1, p.length);
  } else if (p.startsWith('/')) {
    // `^P/|^P$`, after `rstrip("/")`: `/hr//` is `/hr`, and `/` alone matches every complete meta.
    jsSource = `^${emit(0, noTrailingSlashes)}(?:\\/|${END})`;
  } else if (p.endsWith('/')) {
    // `\/P/` with ALL trailing slashes stripped: `hr//` is the directory component `hr`.
    jsSource = `\\/${emit(0, noTrailingSlashes)}\\/`;
  } else if (p.includes('/')) {
    // `\/P/|\/P$`
    jsSource = `\\/${emit(0, p.length)}(?:\\/|${END})`;
  } else {
    // `(\/|^)P$`
    jsSource = `(?:^|\\/)${emit(0, p.length)}${END}`;
  }
  return { value: { kind: 'path', source: written, inverted, jsSource, jsFlags: 'u' }, errors: [], warnings };
}

/** The AST of p[from, to): literal characters, and `[^/]*` for each `*`. */
function seq(toks: IToken[], from: number, to: number): Node {
  const items: Node[] = [];
  for (const tok of toks) {
    const tokStart = tok.startOffset;
    if (tok.tokenType === Star) {
      if (tokStart >= from && tokStart < to) {
        const notSlash: Node = { type: 'class', negate: true, members: [{ kind: 'char', cp: 0x2f }], start: tokStart, end: tokStart + 1 };
        items.push({ type: 'repeat', min: 0, max: Infinity, lazy: false, body: notSlash, start: tokStart, end: tokStart + 1 });
      }
      continue;
    }
    let i = tokStart;
    for (const ch of tok.image) {
      if (i >= from && i < to) items.push({ type: 'char', cp: ch.codePointAt(0)!, start: i, end: i + ch.length });
      i += ch.length;
    }
  }
  return { type: 'seq', items, start: from, end: to };
}
