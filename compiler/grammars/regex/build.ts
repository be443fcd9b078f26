/**
 * CST → AST, enforcing what Python's parser enforces beyond the grammar (sre_parse's messages, so
 * people who know Python recognise them) and rejecting what has no exact JavaScript equivalent.
 */
import type { CstNode, IToken } from 'chevrotain';
import { FragmentFailure } from '../result.js';
import type { Category, ClassMember, Flags, Node, Span } from './ast.js';
import { width } from './ast.js';
import { checkBackrefs } from './backrefs.js';
import { extensionError } from './extensions.js';
import { isToken, only } from './parser.js';

const MAXREPEAT = 4294967295;
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

export interface Built {
  root: Node;
  flags: Flags;
  /** Python's minimum match width of the whole pattern. */
  minWidth: number;
}

export class Builder {
  private groups = 0;
  private readonly closed = new Set<number>();
  private readonly names = new Map<string, number>();
  private readonly groupWidths = new Map<number, [number, number]>();
  /** Number of groups opened before the innermost enclosing look-behind, or null outside one. */
  private lookbehindGroups: number | null = null;
  private readonly flags: Flags = { i: false, m: false, s: false, a: false };
  private unicodeFlag = false;
  private backrefs = 0;

  constructor(
    private readonly text: string,
    /** Offset of `text` in the string as written (1 after a leading `!`). */
    private readonly base: number,
    ignoreCase: boolean,
  ) {
    this.flags.i = ignoreCase;
  }

  fail(message: string, span: Span, help?: string): never {
    throw new FragmentFailure({ message, start: span.start + this.base, end: span.end + this.base, help });
  }

  build(cst: CstNode): Built {
    const root = this.alternation(cst.children.alternation![0] as CstNode, true);
    if (this.backrefs > 0) checkBackrefs(root, (m, span, help) => this.fail(m, span, help));
    return { root, flags: this.flags, minWidth: width(root, this.groupWidths)[0] };
  }

  private alternation(cst: CstNode, top: boolean): Node {
    const seqs = (cst.children.sequence as CstNode[]).map((s, i) => this.sequence(s, top && i === 0));
    if (seqs.length === 1) return seqs[0]!;
    return { type: 'alt', branches: seqs, start: seqs[0]!.start, end: seqs[seqs.length - 1]!.end };
  }

  private sequence(cst: CstNode, leading: boolean): Node {
    const items: Node[] = [];
    let allowFlags = leading;
    for (const itemCst of (cst.children.item as CstNode[] | undefined) ?? []) {
      const atomCst = itemCst.children.atom?.[0] as CstNode | undefined;
      const flagTok = atomCst && this.globalFlagsToken(atomCst);
      if (flagTok) {
        if (!allowFlags) this.fail('global flags not at the start of the expression', this.span(flagTok), 'put inline flags such as `(?i)` at the very start, or use a scoped group `(?i:...)`');
        this.globalFlags(flagTok);
        const q = itemCst.children.Quantifier?.[0] as IToken | undefined;
        if (q) this.fail('nothing to repeat', this.span(q));
        continue;
      }
      allowFlags = false;
      items.push(this.item(itemCst));
    }
    const start = items[0]?.start ?? 0;
    return items.length === 1 ? items[0]! : { type: 'seq', items, start, end: items[items.length - 1]?.end ?? start };
  }

  private globalFlagsToken(atom: CstNode): IToken | undefined {
    const tok = atom.children.GlobalFlags?.[0] ?? atom.children.GlobalFlagsVerbose?.[0];
    return tok as IToken | undefined;
  }

  private globalFlags(tok: IToken): void {
    const letters = tok.image.slice(2, -1);
    this.checkTypeFlags(letters, tok);
    for (const f of letters) {
      if (f === 'i' || f === 'm' || f === 's' || f === 'a') this.flags[f] = true;
      if (f === 'u') this.unicodeFlag = true;
    }
    if (this.flags.a && this.unicodeFlag) this.fail('ASCII and UNICODE flags are incompatible', this.span(tok));
  }

  private checkTypeFlags(letters: string, tok: IToken): void {
    if (letters.includes('L')) this.fail("bad inline flags: cannot use 'L' flag with a str pattern", this.span(tok));
    if (letters.includes('a') && letters.includes('u')) this.fail("bad inline flags: flags 'a', 'u' and 'L' are incompatible", this.span(tok));
  }

  private item(cst: CstNode): Node {
    const quants = (cst.children.Quantifier as IToken[] | undefined) ?? [];
    const atomCst = cst.children.atom?.[0] as CstNode | undefined;
    if (!atomCst) this.fail('nothing to repeat', this.span(quants[0]!), 'escape it (`\\*`) to match the character itself');
    let node = this.atom(atomCst);
    if (quants.length > 1) this.fail('multiple repeat', this.span(quants[1]!), 'group the repeated part: `(?:a*)*`');
    const q = quants[0];
    if (!q) return node;
    if (node.type === 'anchor') this.fail('nothing to repeat', this.span(q), 'an anchor cannot be repeated');
    const m = /^(?:([*+?])|\{(\d*)(,?)(\d*)\})([?+]?)$/.exec(q.image)!;
    let min: number;
    let max: number;
    if (m[1]) [min, max] = m[1] === '*' ? [0, Infinity] : m[1] === '+' ? [1, Infinity] : [0, 1];
    else {
      min = m[2] ? Number(m[2]) : 0;
      max = m[3] ? (m[4] ? Number(m[4]) : Infinity) : min;
      if (min >= MAXREPEAT || (max !== Infinity && max >= MAXREPEAT)) this.fail('the repetition number is too large', this.span(q));
      if (max < min) this.fail('min repeat greater than max repeat', this.span(q));
    }
    if (m[5] === '+') {
      this.fail(`possessive quantifier \`${q.image}\` has no JavaScript equivalent`, this.span(q), `use the greedy \`${q.image.slice(0, -1)}\` if backtracking does not change what matches`);
    }
    node = { type: 'repeat', min, max, lazy: m[5] === '?', body: node, start: node.start, end: this.span(q).end };
    return node;
  }

  private atom(cst: CstNode): Node {
    const child = only(cst);
    if (!isToken(child)) return child.name === 'group' ? this.group(child) : this.charClass(child);
    const span = this.span(child);
    const img = child.image;
    switch (child.tokenType.name) {
      case 'Dot':
        return { type: 'dot', ...span };
      case 'Caret':
        return { type: 'anchor', kind: '^', ...span };
      case 'Dollar':
        return { type: 'anchor', kind: '$', ...span };
      case 'EscAnchor':
        return { type: 'anchor', kind: img[1] as 'A' | 'Z' | 'b' | 'B', ...span };
      case 'EscCategory':
        return { type: 'category', cat: img[1] as Category, ...span };
      case 'EscBackref':
        return this.backref(Number(img.slice(1)), span);
      case 'NamedBackref': {
        const name = img.slice(4, -1);
        this.checkName(name, span);
        const gid = this.names.get(name);
        if (gid === undefined) this.fail(`unknown group name '${name}'`, span);
        return this.backref(gid, span);
      }
      case 'EscOctal': {
        const v = parseInt(img.slice(1), 8);
        if (v > 0o377) this.fail(`octal escape value ${img} outside of range 0-0o377`, span);
        return { type: 'char', cp: v, ...span };
      }
      default:
        return { type: 'char', cp: this.escapeOrLiteral(child), ...span };
    }
  }

  /** The code point of a literal or a character escape (shared by classes). */
  private escapeOrLiteral(tok: IToken): number {
    const img = tok.image;
    const span = this.span(tok);
    switch (tok.tokenType.name) {
      case 'Literal':
        if (img === '\\') this.fail('bad escape (end of pattern)', span, 'write `\\\\` for a backslash');
        return img.codePointAt(0)!;
      case 'Dash':
        return 45;
      case 'EscHex':
      case 'EscU4':
        return parseInt(img.slice(2), 16);
      case 'EscU8': {
        const v = parseInt(img.slice(2), 16);
        if (v > 0x10ffff) this.fail(`bad escape ${img}`, span, 'code points end at `\\U0010ffff`');
        return v;
      }
      case 'EscName':
        return this.fail('named characters `\\N{...}` are not supported', span, 'write the character itself or its `\\uXXXX` escape');
      case 'EscSimple':
      case 'EscClassSimple':
        return SIMPLE_ESCAPES[img[1]!]!;
      case 'EscClassOctal': {
        const v = parseInt(img.slice(1), 8);
        if (v > 0o377) this.fail(`octal escape value ${img} outside of range 0-0o377`, span);
        return v;
      }
      default: {
        // EscOther: `\` + a character that is not an escape of its own.
        const c = img.slice(1);
        if ('xuU'.includes(c)) this.fail(`incomplete escape ${/^\\.[0-9a-fA-F]*/.exec(this.text.slice(tok.startOffset))![0]}`, span, '`\\x` takes 2 hex digits, `\\u` 4 and `\\U` 8');
        if (c === 'N') this.fail('missing {', span, 'write `\\N{NAME}`');
        if (/^[A-Za-z0-9]$/.test(c)) this.fail(`bad escape ${img}`, span, 'escape only punctuation; for a letter or digit write it without `\\`');
        return c.codePointAt(0)!;
      }
    }
  }

  private backref(gid: number, span: Span): Node {
    if (gid > this.groups) this.fail(`invalid group reference ${gid}`, span);
    if (!this.closed.has(gid)) this.fail('cannot refer to an open group', span);
    if (this.lookbehindGroups !== null && gid >= this.lookbehindGroups + 1) {
      this.fail('cannot refer to group defined in the same lookbehind subpattern', span);
    }
    this.backrefs++;
    return { type: 'backref', group: gid, ...span };
  }

  private checkName(name: string, span: Span): void {
    if (name === '') this.fail('missing group name', span);
    if (!/^[\p{XID_Start}_][\p{XID_Continue}]*$/u.test(name)) this.fail(`bad character in group name '${name}'`, span);
  }

  private group(cst: CstNode): Node {
    const open = Object.entries(cst.children).find(([k]) => k !== 'alternation' && k !== 'Close')![1]![0] as IToken;
    const close = cst.children.Close![0] as IToken;
    const span = { start: open.startOffset, end: close.startOffset + 1 };
    const img = open.image;
    const saved = { ...this.flags };
    let capture: number | null = null;
    let add: Partial<Flags> = {};
    let del: Partial<Flags> = {};
    switch (open.tokenType.name) {
      case 'OtherExtension':
        this.unsupportedExtension(open);
        break;
      case 'NamedGroup': {
        const name = img.slice(4, -1);
        this.checkName(name, this.span(open));
        const prev = this.names.get(name);
        if (prev !== undefined) this.fail(`redefinition of group name '${name}' as group ${this.groups + 1}; was group ${prev}`, this.span(open));
        capture = ++this.groups;
        this.names.set(name, capture);
        break;
      }
      case 'Open':
        capture = ++this.groups;
        break;
      case 'ScopedFlags':
        [add, del] = this.scopedFlags(open);
        break;
      case 'LookAhead':
      case 'LookBehind':
        return this.look(cst, open, span);
    }
    if (add.a) this.unicodeFlag = false;
    Object.assign(this.flags, add, ...Object.keys(del).map((k) => ({ [k]: false })));
    const body = this.alternation(cst.children.alternation![0] as CstNode, false);
    Object.assign(this.flags, saved);
    if (capture !== null) {
      this.closed.add(capture);
      this.groupWidths.set(capture, width(body, this.groupWidths));
    }
    return { type: 'group', capture, add, del, body, ...span };
  }

  private look(cst: CstNode, open: IToken, span: Span): Node {
    const behind = open.tokenType.name === 'LookBehind';
    const outer = this.lookbehindGroups;
    if (behind && outer === null) this.lookbehindGroups = this.groups;
    const body = this.alternation(cst.children.alternation![0] as CstNode, false);
    this.lookbehindGroups = outer;
    if (behind) {
      const [lo, hi] = width(body, this.groupWidths);
      if (lo !== hi) this.fail('look-behind requires fixed-width pattern', span, 'Python only allows look-behind that matches a fixed number of characters');
    }
    return { type: 'look', behind, negate: open.image.endsWith('!'), body, ...span };
  }

  private scopedFlags(tok: IToken): [Partial<Flags>, Partial<Flags>] {
    const [on = '', off] = tok.image.slice(2, -1).split('-');
    const span = this.span(tok);
    if (off === '') this.fail('missing flag', span);
    this.checkTypeFlags(on, tok);
    if (off && /[aLu]/.test(off)) this.fail("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", span);
    if (off && [...on].some((f) => off.includes(f))) this.fail('bad inline flags: flag turned on and off', span);
    if (on.includes('x') || off?.includes('x')) {
      this.fail('a scoped verbose flag `(?x:...)` is not supported', span, 'put `(?x)` at the very start of the pattern to make all of it verbose');
    }
    const pick = (s: string): Partial<Flags> => {
      const f: Partial<Flags> = {};
      for (const c of s) if (c === 'i' || c === 'm' || c === 's' || c === 'a') f[c] = true;
      // `(?u:...)` switches ASCII off inside, as Python's _combine_flags does.
      if (s.includes('u')) f.a = false;
      return f;
    };
    return [pick(on), pick(off ?? '')];
  }

  private unsupportedExtension(open: IToken): never {
    const { message, help } = extensionError(this.text, open.startOffset);
    return this.fail(message, { start: open.startOffset, end: open.startOffset + 3 }, help);
  }

  private charClass(cst: CstNode): Node {
    const open = (cst.children.ClassOpen?.[0] ?? cst.children.ClassOpenBracket?.[0]) as IToken;
    const close = cst.children.ClassClose![0] as IToken;
    const span = { start: open.startOffset, end: close.startOffset + 1 };
    const negate = open.image.startsWith('[^');
    const members: ClassMember[] = [];
    if (open.tokenType.name === 'ClassOpenBracket') {
      const bracket = { image: ']', startOffset: open.startOffset + open.image.length - 1 } as IToken;
      const tail = cst.children.rangeTail?.[0] as CstNode | undefined;
      members.push(tail ? this.range({ kind: 'char', cp: 93 }, bracket, tail) : { kind: 'char', cp: 93 });
    }
    for (const item of (cst.children.classItem as CstNode[] | undefined) ?? []) {
      const atomCst = item.children.classAtom?.[0] as CstNode | undefined;
      const tok = atomCst ? (only(atomCst) as IToken) : (item.children.Dash![0] as IToken);
      const first = this.classMember(tok);
      const tail = item.children.rangeTail?.[0] as CstNode | undefined;
      members.push(tail ? this.range(first, tok, tail) : first);
    }
    return { type: 'class', negate, members, ...span };
  }

  private classMember(tok: IToken): ClassMember {
    if (tok.tokenType.name === 'EscCategory') return { kind: 'category', cat: tok.image[1] as Category };
    return { kind: 'char', cp: this.escapeOrLiteral(tok) };
  }

  private range(first: ClassMember, firstTok: IToken, tail: CstNode): ClassMember {
    const atomCst = tail.children.classAtom?.[0] as CstNode | undefined;
    const endTok = atomCst ? (only(atomCst) as IToken) : ((tail.children.Dash as IToken[])[1] as IToken);
    const last = this.classMember(endTok);
    const span = { start: firstTok.startOffset, end: endTok.startOffset + endTok.image.length };
    const shown = this.text.slice(span.start, span.end);
    if (first.kind !== 'char' || last.kind !== 'char') this.fail(`bad character range ${shown}`, span, 'a range needs a single character at each end');
    if (last.cp < first.cp) this.fail(`bad character range ${shown}`, span, 'the first character of a range must not come after the last');
    return { kind: 'range', lo: first.cp, hi: last.cp };
  }

  private span(tok: IToken): Span {
    return { start: tok.startOffset, end: tok.startOffset + tok.image.length };
  }
}

