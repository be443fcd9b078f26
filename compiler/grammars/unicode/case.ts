/**
 * Python's IGNORECASE, reproduced as explicit sets. For str patterns sre compares `lower(subject)`
 * against the lower-cased pattern plus a few extra equivalents (`_EXTRA_CASES`: i/ı, s/ſ, µ/μ...),
 * with Unicode 14 simple lower-casing; with the ASCII flag only A-Z fold. JavaScript's `i` flag uses
 * simple case *folding* of a newer Unicode and differs (İ and ı, letters added after Unicode 14),
 * so translations never use it: each literal and class is expanded to exactly the code points
 * Python's matcher accepts.
 */
import { CharSet } from './charset.js';
import { SRE_CASED, SRE_EXTRA, SRE_LOWER } from './tables.js';

export interface CaseMode {
  ignoreCase: boolean;
  /** Python's `a` flag: ASCII-only case folding and ASCII `\w \d \s \b`. */
  ascii: boolean;
}

interface Folding {
  /** code point → its lower case, for code points that change. */
  lower: Map<number, number>;
  /** lower case → the code points (other than itself) that lower to it. */
  upper: Map<number, number[]>;
  /** Memoised literal sets: big policies repeat the same letters thousands of times. */
  literals: Map<number, CharSet>;
  domain: CharSet;
  cased: CharSet;
  extra: Map<number, number[]>;
}

function buildUnicode(): Folding {
  const lower = new Map<number, number>();
  for (const pair of SRE_LOWER.split(',')) {
    const [a, b] = pair.split(':');
    lower.set(parseInt(a!, 16), parseInt(b!, 16));
  }
  const extra = new Map<number, number[]>();
  for (const pair of SRE_EXTRA.split(',')) {
    const [a, b] = pair.split(':');
    extra.set(
      parseInt(a!, 16),
      b!.split('+').map((x) => parseInt(x, 16)),
    );
  }
  return { lower, upper: invert(lower), literals: new Map(), domain: CharSet.of(...lower.keys()), cased: CharSet.parse(SRE_CASED), extra };
}

function invert(lower: Map<number, number>): Map<number, number[]> {
  const upper = new Map<number, number[]>();
  for (const [cp, lo] of lower) {
    const list = upper.get(lo);
    if (list) list.push(cp);
    else upper.set(lo, [cp]);
  }
  return upper;
}

function buildAscii(): Folding {
  const lower = new Map<number, number>();
  for (let c = 0x41; c <= 0x5a; c++) lower.set(c, c + 32);
  return { lower, upper: invert(lower), literals: new Map(), domain: CharSet.range(0x41, 0x5a), cased: CharSet.parse('41-5a,61-7a'), extra: new Map() };
}

let unicodeFolding: Folding | undefined;
let asciiFolding: Folding | undefined;

function folding(mode: CaseMode): Folding {
  if (mode.ascii) return (asciiFolding ??= buildAscii());
  return (unicodeFolding ??= buildUnicode());
}

/** Whether Python considers the code point cased (sre's `iscased`). */
export function isCased(cp: number, mode: CaseMode): boolean {
  return folding(mode).cased.has(cp);
}

/** The code points Python matches for one literal character under the given flags. */
export function literalSet(cp: number, mode: CaseMode): CharSet {
  if (!mode.ignoreCase) return CharSet.of(cp);
  const f = folding(mode);
  let set = f.literals.get(cp);
  if (!set) {
    if (!f.cased.has(cp)) set = CharSet.of(cp);
    else {
      // Subjects whose lower case is the literal's lower case or one of its extra equivalents.
      const lo = f.lower.get(cp) ?? cp;
      const targets = [lo, ...(f.extra.get(lo) ?? [])];
      const members = targets.filter((t) => !f.lower.has(t));
      for (const t of targets) members.push(...(f.upper.get(t) ?? []));
      set = CharSet.of(...members);
    }
    f.literals.set(cp, set);
  }
  return set;
}

/** The code points Python matches for a set (literal or class body) under the given flags. */
export function caseClose(set: CharSet, mode: CaseMode): CharSet {
  if (!mode.ignoreCase || set.isEmpty) return set;
  const one = set.single();
  if (one !== null) return literalSet(one, mode);
  const f = folding(mode);
  // F: the lower-cased pattern set plus the extra equivalents of its members.
  const lowered: number[] = [];
  for (const [cp, lo] of f.lower) if (set.has(cp)) lowered.push(lo);
  let target = set.minus(f.domain).union(CharSet.of(...lowered));
  const extras: number[] = [];
  for (const [key, more] of f.extra) if (target.has(key)) extras.push(...more);
  target = target.union(CharSet.of(...extras));
  // Subjects match when their lower case is in F.
  const matched: number[] = [];
  for (const [cp, lo] of f.lower) if (target.has(lo)) matched.push(cp);
  return target.minus(f.domain).union(CharSet.of(...matched));
}

/** sre's lower case of one code point under the given mode. */
export function lowerOf(cp: number, mode: CaseMode): number {
  return folding(mode).lower.get(cp) ?? cp;
}

/** The code points sre's `iscased` accepts under the given mode. */
export function casedSet(mode: CaseMode): CharSet {
  return folding(mode).cased;
}
