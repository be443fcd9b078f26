/**
 * Sets of code points as sorted, disjoint, non-adjacent [lo, hi] ranges, and their JavaScript
 * character-class spelling. Translated regexes spell every class out explicitly (from Python's own
 * Unicode tables) instead of relying on JavaScript's `\w`, `\d`, `\s` or Unicode properties, whose
 * meaning differs from Python's or follows a newer Unicode version.
 */

export type Range = readonly [number, number];

export const MAX_CODE_POINT = 0x10ffff;

export class CharSet {
  private constructor(readonly ranges: readonly Range[]) {}

  static readonly EMPTY = new CharSet([]);
  static readonly ALL = new CharSet([[0, MAX_CODE_POINT]]);

  static of(...codePoints: number[]): CharSet {
    return CharSet.fromRanges(codePoints.map((c) => [c, c] as const));
  }

  static range(lo: number, hi: number): CharSet {
    return new CharSet(lo <= hi ? [[lo, hi]] : []);
  }

  /** Normalises any list of ranges (unsorted, overlapping). */
  static fromRanges(input: readonly Range[]): CharSet {
    const sorted = [...input].filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
    const out: [number, number][] = [];
    for (const [lo, hi] of sorted) {
      const last = out[out.length - 1];
      if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
      else out.push([lo, hi]);
    }
    return new CharSet(out);
  }

  /** Parses the generated tables' `a-b,c` hex notation. */
  static parse(table: string): CharSet {
    if (table === '') return CharSet.EMPTY;
    return CharSet.fromRanges(
      table.split(',').map((part) => {
        const [a, b] = part.split('-');
        const lo = parseInt(a!, 16);
        return [lo, b === undefined ? lo : parseInt(b, 16)] as const;
      }),
    );
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  has(cp: number): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.ranges[mid]!;
      if (cp < r[0]) hi = mid - 1;
      else if (cp > r[1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  union(other: CharSet): CharSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return CharSet.fromRanges([...this.ranges, ...other.ranges]);
  }

  complement(): CharSet {
    const out: [number, number][] = [];
    let next = 0;
    for (const [lo, hi] of this.ranges) {
      if (lo > next) out.push([next, lo - 1]);
      next = hi + 1;
    }
    if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
    return new CharSet(out);
  }

  minus(other: CharSet): CharSet {
    return this.intersect(other.complement());
  }

  intersect(other: CharSet): CharSet {
    const out: [number, number][] = [];
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < other.ranges.length) {
      const a = this.ranges[i]!;
      const b = other.ranges[j]!;
      const lo = Math.max(a[0], b[0]);
      const hi = Math.min(a[1], b[1]);
      if (lo <= hi) out.push([lo, hi]);
      if (a[1] < b[1]) i++;
      else j++;
    }
    return new CharSet(out);
  }

  /** Calls `fn` for each member inside [lo, hi] (for small intersections only). */
  forEachIn(lo: number, hi: number, fn: (cp: number) => void): void {
    for (const [a, b] of this.ranges) {
      for (let c = Math.max(a, lo); c <= Math.min(b, hi); c++) fn(c);
    }
  }

  /** A single code point when the set has exactly one member. */
  single(): number | null {
    const r = this.ranges;
    return r.length === 1 && r[0]![0] === r[0]![1] ? r[0]![0] : null;
  }

  private js: string | undefined;

  /** The set as a JavaScript (`u` flag) regex atom: a literal, `[...]`, `[^...]` or `[^]`. */
  toJs(): string {
    return (this.js ??= this.spell());
  }

  private spell(): string {
    const one = this.single();
    if (one !== null) return jsChar(one, false);
    if (this.ranges.length === 1 && this.ranges[0]![0] === 0 && this.ranges[0]![1] === MAX_CODE_POINT) return '[^]';
    // Spell the shorter of the set and its complement.
    const comp = this.complement();
    const [set, neg] = comp.ranges.length < this.ranges.length ? [comp, '^'] : [this as CharSet, ''];
    return `[${neg}${set.ranges.map(([lo, hi]) => (lo === hi ? jsChar(lo, true) : `${jsChar(lo, true)}-${jsChar(hi, true)}`)).join('')}]`;
  }
}

const SAFE = /^[A-Za-z0-9_ !"#%&',:;<=>@`~-]$/;
const CLASS_SAFE = /^[A-Za-z0-9_ !"#%&',:;<=>@`~.*+?(){}|$/]$/;

/** One code point spelled for a `u`-flag regex, outside or inside a class. */
export function jsChar(cp: number, inClass: boolean): string {
  const ch = String.fromCodePoint(cp);
  if ((inClass ? CLASS_SAFE : SAFE).test(ch)) return ch;
  if (cp >= 0xa0 && /^[\p{L}\p{M}\p{N}]$/u.test(ch)) return ch;
  if (cp < 0x7f && cp > 0x20) return '\\' + ch;
  return `\\u{${cp.toString(16)}}`;
}
