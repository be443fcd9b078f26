/** Turns chevrotain's lexer and parser errors into FragmentErrors that point inside the string. */
import type { ILexingError, IRecognitionException, IToken } from 'chevrotain';
import type { FragmentError } from './result.js';

export function lexError(text: string, e: ILexingError, help?: string): FragmentError {
  const ch = text.slice(e.offset, e.offset + Math.max(1, e.length));
  return { message: `unexpected \`${ch}\``, start: e.offset, end: e.offset + Math.max(1, e.length), help };
}

/** Where a token is; the end-of-input token has no offset, so it points just past the text. */
export function tokenSpan(text: string, token: IToken): { start: number; end: number } {
  if (Number.isNaN(token.startOffset) || token.tokenType.name === 'EOF') return { start: text.length, end: text.length };
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

export function parseError(text: string, e: IRecognitionException, expected: string, help?: string): FragmentError {
  const span = tokenSpan(text, e.token);
  const found = span.start >= text.length ? 'end of text' : `\`${e.token.image}\``;
  return { message: `expected ${expected}, found ${found}`, ...span, help };
}
