/**
 * Reads back the JavaScript source that regex/emit.ts and path-pattern.ts write (flag `u`), into
 * the tree the matchers compile. The translation is the one statement of a pattern's meaning (the
 * differential tests hold it to Python's `re`), so the matchers start from it rather than from the
 * Python tree: whatever decides a match decides it for exactly that source.
 *
 * Only what the emitters write is accepted (sets spelled out, never `\d \w \s` or the `i` flag):
 * anything else (a hand-made artifact, or a kss bug) is a `JsSourceError`, never guessed at.
 */
import { CharSet } from '../unicode/charset.js';

export type RxNode =
  | { type: 'set'; set: CharSet }
  | { type: 'seq'; items: RxNode[] }
  | { type: 'alt'; branches: RxNode[] }
  | { type: 'group'; capture: number | null; body: RxNode }
  | { type: 'repeat'; min: number; max: number; greedy: boolean; body: RxNode }
  | { type: 'edge'; kind: 'start' | 'end' }
  | { type: 'look'; behind: boolean; negate: boolean; body: RxNode }
  | { type: 'backref'; group: number };

export interface ParsedSource {
  root: RxNode;
  groups: number;
}

export class JsSourceError extends Error {}

const LINE_TERMINATORS = CharSet.of(0x0a, 0x0d, 0x2028, 0x2029);
const DOT = LINE_TERMINATORS.complement();
const ESCAPED_CONTROLS: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11 };

export function parseJsSource(source: string): ParsedSource {
  return new SourceParser(source).parse();
}

class SourceParser {
  private at = 0;
  private groups = 0;

  constructor(private readonly src: string) {}

  parse(): ParsedSource {
    const root = this.alternation();
    if (this.at < this.src.length) this.fail(`unexpected \`${this.src[this.at]}\``);
    return { root, groups: this.groups };
  }

  private fail(message: string): never {
    throw new JsSourceError(`${message} at ${this.at} of /${this.src.slice(0, 200)}/`);
  }

  private peek(text: string): boolean {
    return this.src.startsWith(text, this.at);
  }

  private eat(text: string): boolean {
    if (!this.peek(text)) return false;
    this.at += text.length;
    return true;
  }

  private alternation(): RxNode {
    const branches = [this.sequence()];
    while (this.eat('|')) branches.push(this.sequence());
    return branches.length === 1 ? branches[0]! : { type: 'alt', branches };
  }

  private sequence(): RxNode {
    const items: RxNode[] = [];
    while (this.at < this.src.length && !this.peek('|') && !this.peek(')')) items.push(this.quantified(this.atom()));
    return items.length === 1 ? items[0]! : { type: 'seq', items };
  }

  private quantified(body: RxNode): RxNode {
    let min: number;
    let max: number;
    const m = /^(?:\*|\+|\?|\{(\d+)(,(\d*))?\})/.exec(this.src.slice(this.at, this.at + 32));
    if (!m) return body;
    if (m[0] === '*') [min, max] = [0, Infinity];
    else if (m[0] === '+') [min, max] = [1, Infinity];
    else if (m[0] === '?') [min, max] = [0, 1];
    else {
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    }
    this.at += m[0].length;
    const greedy = !this.eat('?');
    if (body.type === 'edge' || body.type === 'look') this.fail('a quantified assertion');
    return { type: 'repeat', min, max, greedy, body };
  }

  private atom(): RxNode {
    if (this.eat('(')) return this.group();
    if (this.eat('[')) return { type: 'set', set: this.charClass() };
    if (this.eat('^')) return { type: 'edge', kind: 'start' };
    if (this.eat('$')) return { type: 'edge', kind: 'end' };
    if (this.eat('.')) return { type: 'set', set: DOT };
    if (this.peek('\\')) {
      const backref = /^\\([1-9]\d*)/.exec(this.src.slice(this.at));
      if (backref) {
        this.at += backref[0].length;
        return { type: 'backref', group: Number(backref[1]) };
      }
      return { type: 'set', set: CharSet.of(this.escape()) };
    }
    const c = this.src.codePointAt(this.at)!;
    if ('*+?{}])|'.includes(String.fromCodePoint(c))) this.fail(`unexpected \`${String.fromCodePoint(c)}\``);
    this.at += c > 0xffff ? 2 : 1;
    return { type: 'set', set: CharSet.of(c) };
  }

  private group(): RxNode {
    let node: RxNode;
    const look = /^\?(<?)([=!])/.exec(this.src.slice(this.at, this.at + 3));
    if (look) {
      this.at += look[0].length;
      node = { type: 'look', behind: look[1] === '<', negate: look[2] === '!', body: this.alternation() };
    } else if (this.eat('?:')) {
      node = { type: 'group', capture: null, body: this.alternation() };
    } else {
      if (this.peek('?')) this.fail('an unknown group');
      const capture = ++this.groups;
      node = { type: 'group', capture, body: this.alternation() };
    }
    if (!this.eat(')')) this.fail('an unclosed group');
    return node;
  }

  /** After `[`: members up to the closing `]`. */
  private charClass(): CharSet {
    const negate = this.eat('^');
    const ranges: [number, number][] = [];
    while (!this.eat(']')) {
      if (this.at >= this.src.length) this.fail('an unterminated class');
      const lo = this.classChar();
      if (this.peek('-') && !this.src.startsWith('-]', this.at)) {
        this.at++;
        ranges.push([lo, this.classChar()]);
      } else ranges.push([lo, lo]);
    }
    const set = CharSet.fromRanges(ranges);
    return negate ? set.complement() : set;
  }

  private classChar(): number {
    if (this.peek('\\')) return this.escape();
    const c = this.src.codePointAt(this.at)!;
    this.at += c > 0xffff ? 2 : 1;
    return c;
  }

  /** `\u{h…}`, `\n`-style controls, or `\` + punctuation (a character escape, not a class). */
  private escape(): number {
    this.at++;
    const braced = /^u\{([0-9a-fA-F]{1,6})\}/.exec(this.src.slice(this.at, this.at + 9));
    if (braced) {
      this.at += braced[0].length;
      return parseInt(braced[1]!, 16);
    }
    const c = this.src[this.at];
    if (c === undefined) this.fail('a trailing backslash');
    this.at++;
    if (ESCAPED_CONTROLS[c] !== undefined) return ESCAPED_CONTROLS[c];
    if (/[A-Za-z0-9]/.test(c)) this.fail(`the escape \`\\${c}\``);
    return c.codePointAt(0)!;
  }
}
