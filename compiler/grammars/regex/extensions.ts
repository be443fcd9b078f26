/** Python's message for `(?` followed by something that is not a supported group. */
export function extensionError(text: string, start: number): { message: string; help?: string } {
  const rest = text.slice(start + 2);
  const c = rest[0];
  if (c === undefined) return { message: 'unexpected end of pattern' };
  if (c === '>') return { message: 'atomic group `(?>...)` has no JavaScript equivalent', help: 'write a plain group `(?:...)` if backtracking into it does not change what matches' };
  if (c === '(') return { message: 'conditional group `(?(id)yes|no)` has no JavaScript equivalent', help: 'write the alternatives out, for example `(a)b|c`' };
  if (c === '#') return { message: 'missing ), unterminated comment' };
  if (c === 'P') {
    if (rest[1] === '<') return { message: 'missing >, unterminated name' };
    if (rest[1] === '=') return { message: 'missing ), unterminated name' };
    return { message: rest[1] === undefined ? 'unexpected end of pattern' : `unknown extension ?P${rest[1]}` };
  }
  if (c === '<') {
    if (rest[1] === '=' || rest[1] === '!') return { message: 'missing ), unterminated subpattern' };
    return { message: rest[1] === undefined ? 'unexpected end of pattern' : `unknown extension ?<${rest[1]}`, help: 'named groups are written `(?P<name>...)` in Python' };
  }
  if (/[aiLmsux-]/.test(c)) {
    const after = rest.replace(/^[aiLmsux-]+/, '')[0];
    if (after === undefined) return { message: 'missing -, : or )' };
    return { message: /[A-Za-z]/.test(after) ? 'unknown flag' : 'missing -, : or )' };
  }
  return { message: `unknown extension ?${c}` };
}
