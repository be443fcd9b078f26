/**
 * AST → JavaScript RegExp source (flag `u` only). Everything whose JavaScript meaning differs is
 * spelled out: classes from Python's Unicode 14 tables, IGNORECASE as explicit case sets, `.` `^`
 * `$` `\A` `\Z` `\b` `\B` as the assertions Python means. No capture groups are added, so group
 * numbers stay the same.
 */
import { FragmentFailure } from '../result.js';
import { CharSet } from '../unicode/charset.js';
import { caseClose, casedSet, literalSet, lowerOf, type CaseMode } from '../unicode/case.js';
import { DIGIT, SPACE, WORD } from '../unicode/tables.js';
import type { Category, ClassMember, Flags, Node, NodeOf } from './ast.js';

let tables: { d: CharSet; s: CharSet; w: CharSet } | undefined;
const ASCII = { d: CharSet.range(0x30, 0x39), s: CharSet.parse('9-d,20'), w: CharSet.parse('30-39,41-5a,5f,61-7a') };

const categories = new Map<string, CharSet>();

function categorySet(cat: Category, flags: Flags): CharSet {
  const key = cat + (flags.a ? 'a' : '');
  let set = categories.get(key);
  if (!set) {
    tables ??= { d: CharSet.parse(DIGIT), s: CharSet.parse(SPACE), w: CharSet.parse(WORD) };
    const base = (flags.a ? ASCII : tables)[cat.toLowerCase() as 'd' | 's' | 'w'];
    set = cat === cat.toLowerCase() ? base : base.complement();
    categories.set(key, set);
  }
  return set;
}

/** Class sets by members and flags: policies repeat the same classes, and folding one costs. */
const classCache = new Map<string, CharSet>();
const CLASS_CACHE_LIMIT = 2000;

const caseMode = (flags: Flags): CaseMode => ({ ignoreCase: flags.i, ascii: flags.a });
const NOT_NEWLINE = CharSet.of(0x0a).complement();

/** The flags inside a group: its own `(?i:…)`/`(?-i:…)` over those around it. */
export function scopedFlags(node: NodeOf<'group'>, flags: Flags): Flags {
  const inner = { ...flags, ...node.add };
  for (const k of Object.keys(node.del) as (keyof Flags)[]) if (node.del[k]) inner[k] = false;
  return inner;
}

export class Emitter {
  constructor(private readonly base: number) {}

  private fail(message: string, node: { start: number; end: number }, help?: string): never {
    throw new FragmentFailure({ message, start: node.start + this.base, end: node.end + this.base, help });
  }

  emit(node: Node, flags: Flags): string {
    switch (node.type) {
      case 'seq':
        return node.items.map((n) => this.emit(n, flags)).join('');
      case 'alt':
        this.checkAltCase(node, flags);
        return `(?:${node.branches.map((b) => this.emit(b, flags)).join('|')})`;
      case 'char':
      case 'category':
      case 'class':
      case 'dot':
        return this.setOf(node, flags).toJs();
      case 'anchor':
        return this.anchor(node.kind, flags);
      case 'group': {
        const body = this.emit(node.body, scopedFlags(node, flags));
        return node.capture !== null ? `(${body})` : `(?:${body})`;
      }
      case 'look':
        return `(?${node.behind ? '<' : ''}${node.negate ? '!' : '='}${this.emit(node.body, flags)})`;
      case 'repeat':
        return this.repeat(node, flags);
      case 'backref':
        // Wrapped so that a following digit is not read as part of the group number.
        return `(?:\\${node.group})`;
    }
  }

  /** The code points one character of the pattern matches under `flags` (what Python's matcher accepts). */
  setOf(node: NodeOf<'char' | 'category' | 'class' | 'dot'>, flags: Flags): CharSet {
    switch (node.type) {
      case 'char':
        return literalSet(node.cp, caseMode(flags));
      case 'category':
        return categorySet(node.cat, flags);
      case 'dot':
        return flags.s ? CharSet.ALL : NOT_NEWLINE;
      case 'class': {
        const key = JSON.stringify([node.negate, node.members, flags]);
        let set = classCache.get(key);
        if (!set) {
          set = this.classSet(node, flags);
          if (classCache.size >= CLASS_CACHE_LIMIT) classCache.clear();
          classCache.set(key, set);
        }
        return set;
      }
    }
  }

  private repeat(node: NodeOf<'repeat'>, flags: Flags): string {
    let body = this.emit(node.body, flags);
    // A quantifier applies to one atom; JavaScript (with `u`) cannot quantify an assertion, but a
    // group around it can be.
    if (!['char', 'class', 'category', 'dot', 'group'].includes(node.body.type)) body = `(?:${body})`;
    const { min, max } = node;
    const q =
      min === 0 && max === Infinity ? '*'
      : min === 1 && max === Infinity ? '+'
      : min === 0 && max === 1 ? '?'
      : max === Infinity ? `{${min},}`
      : min === max ? `{${min}}`
      : `{${min},${max}}`;
    return body + q + (node.lazy ? '?' : '');
  }

  private anchor(kind: NodeOf<'anchor'>['kind'], flags: Flags): string {
    switch (kind) {
      case 'A':
        return '^';
      case 'Z':
        return '$';
      case '^':
        // Python's MULTILINE `^` follows `\n` only; JavaScript's `m` also follows `\r`, U+2028/9.
        return flags.m ? '(?:^|(?<=\\n))' : '^';
      case '$':
        // Python's `$` also matches before a final `\n` (and with MULTILINE before any `\n`).
        return flags.m ? '(?=\\n|$)' : '(?=\\n?$)';
      case 'b':
      case 'B': {
        const w = categorySet('w', flags).toJs();
        if (kind === 'b') return `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
        // Python's \B never matches in an empty string.
        return `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w})(?:(?<=[^])|(?=[^])))`;
      }
    }
  }

  private classSet(node: NodeOf<'class'>, flags: Flags): CharSet {
    const mode = caseMode(flags);
    // sre turns a class of one character (`[x]`, `[xx]`, `[^x]`) into a plain (negated) literal.
    const chars = new Set(node.members.map((m) => (m.kind === 'char' ? m.cp : -1)));
    if (chars.size === 1 && !chars.has(-1)) {
      const set = caseClose(CharSet.of(node.members[0]!.kind === 'char' ? node.members[0]!.cp : 0), mode);
      return node.negate ? set.complement() : set;
    }
    let folded = CharSet.EMPTY;
    let raw = CharSet.EMPTY;
    let categories = CharSet.EMPTY;
    let anyCased = false;
    for (const m of node.members) {
      if (m.kind === 'category') {
        categories = categories.union(categorySet(m.cat, flags));
        continue;
      }
      const [lo, hi] = m.kind === 'char' ? [m.cp, m.cp] : [m.lo, m.hi];
      anyCased ||= !CharSet.range(lo, hi).intersect(casedSet(mode)).isEmpty;
      folded = folded.union(CharSet.range(lo, Math.min(hi, 0xffff)));
      if (hi >= 0x10000) raw = raw.union(this.astralMember(m, lo, hi, node, flags));
    }
    // Python folds only classes that contain a cased character; the others match as written.
    const set = (anyCased ? caseClose(folded, mode) : folded).union(raw).union(categories);
    return node.negate ? set.complement() : set;
  }

  /**
   * sre's charset optimiser cannot fold members beyond U+FFFF: it keeps them as raw literals
   * compared with the lower-cased subject (so an upper-case one never matches) and ranges as a
   * special range check. Reproduce the first, reject the second when it involves cased letters.
   */
  private astralMember(m: ClassMember, lo: number, hi: number, node: Node, flags: Flags): CharSet {
    const astral = CharSet.range(Math.max(lo, 0x10000), hi);
    if (!flags.i) return astral;
    const unicode: CaseMode = { ignoreCase: true, ascii: false };
    if (m.kind === 'range') {
      if (!astral.intersect(casedSet(unicode)).isEmpty) {
        this.fail('a case-insensitive range with cased letters beyond U+FFFF has no exact JavaScript equivalent', node, 'list the letters one by one, or use `case_sensitive: true`');
      }
      return astral;
    }
    if (flags.a) return astral;
    return lowerOf(lo, unicode) === lo ? caseClose(astral, unicode) : CharSet.EMPTY;
  }

  /** sre turns `x|y` of single characters into a class, with the astral quirk above. */
  private checkAltCase(node: NodeOf<'alt'>, flags: Flags): void {
    if (!flags.i || flags.a) return;
    for (const b of node.branches) {
      const last = b.type === 'seq' ? b.items[b.items.length - 1] : b;
      if (last?.type === 'char' && last.cp >= 0x10000 && lowerOf(last.cp, caseMode(flags)) !== last.cp) {
        this.fail('a case-insensitive alternative ending in an upper-case character beyond U+FFFF has no exact JavaScript equivalent', last, 'Python does not match it case-insensitively there; use `case_sensitive: true`');
      }
    }
  }
}

