/**
 * Whether backtracking over a Python pattern can take super-linear time: the static check for the
 * patterns that need the backtracker (back-references, wide look-arounds; see
 * compiler/grammars/automaton/). The classical criteria on the pattern's position automaton
 * (Glushkov: one state per character of the pattern, ε-free), as in Weideman et al., "Analyzing
 * matching time behavior of backtracking regular expression matchers by using ambiguity of NFA":
 * - exponential (EDA): some state has two different loops that read the same text;
 * - polynomial (IDA): states p ≠ q, each with a loop, reading the same text w on p→p, p→q and q→q.
 * The search is modelled as a leading `[^]*` (a backtracker tries every start position), unless the
 * pattern is anchored at the start.
 *
 * Approximations, all towards reporting: assertions are ignored (they only remove paths); a
 * back-reference is read as another copy of its group; a count above MAX_EXPANDED as unbounded; a
 * look-around's body is checked on its own, and one that can read unboundedly far is reported
 * where the search can evaluate it at unboundedly many positions; a pattern too big to analyse is
 * reported. A pattern this check passes still runs under the step budget.
 */
import { CharSet } from '../unicode/charset.js';
import type { Flags, Node, NodeOf } from './ast.js';
import { Emitter, scopedFlags } from './emit.js';
import type { PythonRegexTree } from '../python-regex.js';
import { anchoredAtStart, collectGroups, relocate } from './redos-tree.js';
import { components, TooComplex } from './scc.js';

export interface Blowup {
  kind: 'exponential' | 'polynomial';
  /** Offsets in the pattern as written. */
  start: number;
  end: number;
  /** Where the blow-up comes from, for the message. */
  reason: 'nested' | 'overlap' | 'search' | 'look-around' | 'complex';
}

/** Counts up to this are expanded copy by copy; larger ones are read as unbounded. */
export const MAX_EXPANDED = 16;
/** Positions at most; a larger pattern is reported as too complex to prove safe. */
export const MAX_POSITIONS = 200;
const MAX_WORK = 2_000_000;

interface Position {
  set: CharSet;
  start: number;
  end: number;
}

interface Glushkov {
  nullable: boolean;
  first: number[];
  last: number[];
}

/** The worst blow-up of backtracking over `tree`, or null when the criteria above prove none. */
export function backtrackingBlowup(tree: PythonRegexTree): Blowup | null {
  try {
    const groups = new Map<number, { body: Node; flags: Flags }>();
    collectGroups(tree.root, tree.flags, groups);
    const looks: Array<{ node: NodeOf<'look'>; flags: Flags; bounded: boolean }> = [];
    const anchored = anchoredAtStart(tree.root, tree.flags);
    const main = new Automaton(tree.base, groups, looks);
    main.build(tree.root, tree.flags, !anchored, anchored);
    const found = main.blowup();
    if (found) return found;
    // The list grows while it is walked: look-arounds inside look-arounds are checked too, evaluated
    // at a bounded number of positions only where the one around them is.
    for (let i = 0; i < looks.length; i++) {
      const look = looks[i]!;
      const sub = new Automaton(tree.base, groups, looks);
      sub.build(look.node.body, look.flags, false, look.bounded);
      const inner = sub.blowup();
      if (inner) return inner;
      if (!look.bounded && sub.loops()) return { kind: 'polynomial', start: look.node.start + tree.base, end: look.node.end + tree.base, reason: 'look-around' };
    }
    return null;
  } catch (e) {
    if (!(e instanceof TooComplex)) throw e;
    return { kind: 'polynomial', start: tree.root.start + tree.base, end: tree.root.end + tree.base, reason: 'complex' };
  }
}

class Automaton {
  private readonly positions: Position[] = [];
  /** follow[p]: positions that may come right after p; entry: the positions a match may start with. */
  private readonly follow: Array<Set<number>> = [];
  private entry: number[] = [];
  private prefix = -1;
  private readonly emitter: Emitter;

  constructor(
    private readonly base: number,
    private readonly groups: Map<number, { body: Node; flags: Flags }>,
    private readonly looks: Array<{ node: NodeOf<'look'>; flags: Flags; bounded: boolean }>,
  ) {
    this.emitter = new Emitter(base);
  }

  build(root: Node, flags: Flags, searched: boolean, lookPositionsBounded: boolean): void {
    this.boundedSoFar = lookPositionsBounded;
    const g = this.node(root, flags, true);
    this.entry = g.first;
    if (searched) {
      this.prefix = this.add(CharSet.ALL, root.start, root.start);
      this.link([this.prefix], [this.prefix, ...g.first]);
      this.entry = [this.prefix, ...g.first];
    }
  }

  /** Whether some state can loop: the body reads unboundedly far. */
  loops(): boolean {
    return this.follow.some((_, p) => this.reaches(p, p));
  }

  private reaches(from: number, to: number): boolean {
    const seen = new Set<number>();
    const stack = [...this.follow[from]!];
    while (stack.length > 0) {
      const q = stack.pop()!;
      if (q === to) return true;
      if (seen.has(q)) continue;
      seen.add(q);
      stack.push(...this.follow[q]!);
    }
    return false;
  }

  private boundedSoFar = true;

  /** The outermost unbounded repetition being built: a position inside it is reported as all of it. */
  private loop: { start: number; end: number } | null = null;

  private add(set: CharSet, start: number, end: number): number {
    if (this.positions.length >= MAX_POSITIONS) throw new TooComplex();
    this.follow.push(new Set());
    const span = this.loop ?? { start, end };
    return this.positions.push({ set, start: span.start + this.base, end: span.end + this.base }) - 1;
  }

  private link(from: number[], to: number[]): void {
    for (const p of from) for (const q of to) this.follow[p]!.add(q);
  }

  /** `top`: on the pattern's top-level sequence, where look-arounds before any loop are evaluated once. */
  private node(n: Node, flags: Flags, top: boolean): Glushkov {
    switch (n.type) {
      case 'char':
      case 'class':
      case 'category':
      case 'dot': {
        const p = this.add(this.emitter.setOf(n, flags), n.start, n.end);
        return { nullable: false, first: [p], last: [p] };
      }
      case 'anchor':
        return EMPTY;
      case 'look':
        this.looks.push({ node: n, flags, bounded: top && this.boundedSoFar });
        return EMPTY;
      case 'group':
        return this.node(n.body, scopedFlags(n, flags), top);
      case 'backref': {
        const g = this.groups.get(n.group)!;
        // Another copy of the group's text, pointed at the reference.
        return this.node(relocate(g.body, n.start, n.end), g.flags, false);
      }
      case 'seq': {
        let acc: Glushkov = EMPTY;
        for (const item of n.items) acc = this.concat(acc, this.node(item, flags, top));
        return acc;
      }
      case 'alt': {
        const parts = n.branches.map((b) => this.node(b, flags, false));
        return { nullable: parts.some((p) => p.nullable), first: parts.flatMap((p) => p.first), last: parts.flatMap((p) => p.last) };
      }
      case 'repeat':
        return this.repeat(n, flags);
    }
  }

  private concat(a: Glushkov, b: Glushkov): Glushkov {
    this.link(a.last, b.first);
    return {
      nullable: a.nullable && b.nullable,
      first: a.nullable ? [...a.first, ...b.first] : a.first,
      last: b.nullable ? [...a.last, ...b.last] : b.last,
    };
  }

  private repeat(n: NodeOf<'repeat'>, flags: Flags): Glushkov {
    if (n.max === 0) return EMPTY;
    const copy = () => this.node(n.body, flags, false);
    if (n.max === Infinity || n.max > MAX_EXPANDED) {
      this.boundedSoFar = false;
      const outer = this.loop;
      this.loop ??= { start: n.start, end: n.end };
      let acc: Glushkov = EMPTY;
      for (let i = 0; i < Math.min(n.min, 2); i++) acc = this.concat(acc, copy());
      const loop = copy();
      this.loop = outer;
      this.link(loop.last, loop.first);
      return this.concat(acc, { nullable: true, first: loop.first, last: loop.last });
    }
    let acc: Glushkov = EMPTY;
    for (let i = 0; i < n.min; i++) acc = this.concat(acc, copy());
    // Optional copies nest as a backtracker tries them: (x(x(x)?)?)?
    const optional = (k: number): Glushkov => {
      if (k === 0) return EMPTY;
      const body = this.concat(copy(), optional(k - 1));
      return { ...body, nullable: true };
    };
    return this.concat(acc, optional(n.max - n.min));
  }

  /** EDA first (the worse), then IDA. */
  blowup(): Blowup | null {
    return this.exponential() ?? this.polynomial();
  }

  private overlap(p: number, q: number): boolean {
    return !this.positions[p]!.set.intersect(this.positions[q]!.set).isEmpty;
  }

  /** A strongly connected part of the pair automaton that holds (q, q) and some (p, p') with p ≠ p'. */
  private exponential(): Blowup | null {
    const n = this.positions.length;
    const pairEdges = (v: number): number[] => {
      const a = Math.floor(v / n);
      const b = v % n;
      const out: number[] = [];
      for (const x of this.follow[a]!) for (const y of this.follow[b]!) if (this.overlap(x, y)) out.push(x * n + y);
      return out;
    };
    const starts = this.positions.map((_, q) => q * n + q);
    for (const component of components(starts, pairEdges, MAX_WORK)) {
      const diagonal = component.filter((v) => Math.floor(v / n) === v % n);
      if (diagonal.length > 0 && diagonal.length < component.length) {
        return this.at('exponential', component.flatMap((v) => [Math.floor(v / n), v % n]), 'nested');
      }
    }
    return null;
  }

  private polynomial(): Blowup | null {
    const n = this.positions.length;
    let work = 0;
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) {
        if (p === q || !this.overlap(p, q) || !this.reaches(p, q) || !this.reaches(q, q) || !this.reaches(p, p)) continue;
        // Search the triple automaton from (p, p, q) for (p, q, q).
        const key = (a: number, b: number, c: number) => (a * n + b) * n + c;
        const target = key(p, q, q);
        const seen = new Set<number>();
        const stack: Array<[number, number, number]> = [[p, p, q]];
        while (stack.length > 0) {
          const [a, b, c] = stack.pop()!;
          for (const x of this.follow[a]!) {
            for (const y of this.follow[b]!) {
              if (!this.overlap(x, y)) continue;
              for (const z of this.follow[c]!) {
                if (++work > MAX_WORK) throw new TooComplex();
                const both = this.positions[x]!.set.intersect(this.positions[y]!.set);
                if (both.intersect(this.positions[z]!.set).isEmpty) continue;
                const k = key(x, y, z);
                if (k === target) return this.at('polynomial', p === this.prefix ? [q] : [p, q], p === this.prefix ? 'search' : 'overlap');
                if (!seen.has(k)) {
                  seen.add(k);
                  stack.push([x, y, z]);
                }
              }
            }
          }
        }
      }
    }
    return null;
  }

  private at(kind: Blowup['kind'], states: number[], reason: Blowup['reason']): Blowup {
    const spans = states.filter((s) => s !== this.prefix).map((s) => this.positions[s]!);
    return { kind, start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)), reason };
  }
}

const EMPTY: Glushkov = { nullable: true, first: [], last: [] };
