/**
 * Tokens of Python's `re` syntax. Three lexer modes: `normal`, `verbose` (after a leading `(?x)`:
 * whitespace and `#` comments are skipped outside classes) and `class` (inside `[...]`).
 * The order of tokens matters: chevrotain takes the first pattern that matches.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

const t = (name: string, pattern: RegExp, extra: Record<string, unknown> = {}): TokenType =>
  createToken({ name, pattern, ...extra });

// One code point (a surrogate pair counts as one, as in a Python str).
const CP = '(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[^])';

export const VerboseSpace = t('VerboseSpace', /[ \t\n\r\v\f]+/, { group: Lexer.SKIPPED, line_breaks: true });
export const VerboseComment = t('VerboseComment', /#[^\n]*/, { group: Lexer.SKIPPED });
// `(?#...)` is dropped entirely, as Python does (so `a(?#c)*` repeats `a`).
export const CommentGroup = t('CommentGroup', /\(\?#[^)]*\)/, { group: Lexer.SKIPPED, line_breaks: true });

// Escapes shared by both contexts.
export const EscCategory = t('EscCategory', /\\[dDsSwW]/);
export const EscHex = t('EscHex', /\\x[0-9a-fA-F]{2}/);
export const EscU4 = t('EscU4', /\\u[0-9a-fA-F]{4}/);
export const EscU8 = t('EscU8', /\\U[0-9a-fA-F]{8}/);
export const EscName = t('EscName', /\\N\{[^}]*\}/);
export const EscOther = t('EscOther', new RegExp(`\\\\${CP}`), { line_breaks: true });
// Outside a class.
export const EscAnchor = t('EscAnchor', /\\[AZbB]/);
export const EscOctal = t('EscOctal', /\\(?:0[0-7]{0,2}|[1-7][0-7]{2})/);
export const EscBackref = t('EscBackref', /\\[1-9][0-9]?/);
export const EscSimple = t('EscSimple', /\\[afnrtv\\]/);
// Inside a class: `\b` is a backspace and any 1-3 octal digits are an octal escape.
export const EscClassOctal = t('EscClassOctal', /\\[0-7]{1,3}/);
export const EscClassSimple = t('EscClassSimple', /\\[abfnrtv\\]/);

export const NamedGroup = t('NamedGroup', /\(\?P<[^>]*>/);
export const NamedBackref = t('NamedBackref', /\(\?P=[^)]*\)/);
export const NonCapture = t('NonCapture', /\(\?:/);
export const LookAhead = t('LookAhead', /\(\?[=!]/);
export const LookBehind = t('LookBehind', /\(\?<[=!]/);
export const GlobalFlagsVerbose = t('GlobalFlagsVerbose', /\(\?[aiLmsu]*x[aiLmsux]*\)/, { push_mode: 'verbose' });
export const GlobalFlags = t('GlobalFlags', /\(\?[aiLmsux]+\)/);
export const ScopedFlags = t('ScopedFlags', /\(\?[aiLmsux]*(?:-[aiLmsux]*)?:/);
// Everything else after `(?` is rejected by the parser with Python's message (atomic groups,
// conditionals, unknown extensions).
export const OtherExtension = t('OtherExtension', /\(\?/);
export const Open = t('Open', /\(/);
export const Close = t('Close', /\)/);
export const Pipe = t('Pipe', /\|/);
export const Dot = t('Dot', /\./);
export const Caret = t('Caret', /\^/);
export const Dollar = t('Dollar', /\$/);
export const Quantifier = t('Quantifier', /(?:[*+?]|\{(?:[0-9]+(?:,[0-9]*)?|,[0-9]*)\})[?+]?/);
// `[]` and `[^]` start with a literal `]`; the parser treats the `]` as the first member.
export const ClassOpenBracket = t('ClassOpenBracket', /\[\^?\]/, { push_mode: 'class' });
export const ClassOpen = t('ClassOpen', /\[\^?/, { push_mode: 'class' });
export const ClassClose = t('ClassClose', /\]/, { pop_mode: true });
export const Dash = t('Dash', /-/);
export const Literal = t('Literal', new RegExp(CP), { line_breaks: true });

const escapes = [EscCategory, EscHex, EscU4, EscU8, EscName];
const outside = [
  CommentGroup,
  EscAnchor,
  ...escapes,
  EscOctal,
  EscBackref,
  EscSimple,
  EscOther,
  NamedGroup,
  NamedBackref,
  NonCapture,
  LookAhead,
  LookBehind,
  GlobalFlagsVerbose,
  GlobalFlags,
  ScopedFlags,
  OtherExtension,
  Open,
  Close,
  Pipe,
  Dot,
  Caret,
  Dollar,
  Quantifier,
  ClassOpenBracket,
  ClassOpen,
  Literal,
];
const inClass = [...escapes, EscClassOctal, EscClassSimple, EscOther, ClassClose, Dash, Literal];

export const allTokens = [...new Set([VerboseSpace, VerboseComment, ...outside, ...inClass])];

export const regexLexer = new Lexer(
  {
    modes: { normal: outside, verbose: [VerboseSpace, VerboseComment, ...outside], class: inClass },
    defaultMode: 'normal',
  },
  { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: true },
);
