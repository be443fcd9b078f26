/**
 * The linear-time matcher: a lazily built DFA over the program's Thompson automaton
 * (compiler/grammars/automaton/program.ts). A DFA state is the set of instructions waiting for the
 * next character plus what the look-behind predicates know of the previous one; its transitions are
 * computed on first use (one pass over the automaton, O(instructions)) and then cost one array or
 * map read per character. So a search costs O(length × instructions) at worst, and usually
 * O(length): nothing is ever tried twice at one position, whatever the pattern.
 *
 * The cache is bounded (MAX_STATES, MAX_TRANSITIONS): when full it is dropped and rebuilt, which keeps
 * memory bounded and the bound on time unchanged.
 */
import { Op, predicateHolds, type Program } from '../../../compiler/grammars/automaton/program.js';

export const MAX_STATES = 2_000;
export const MAX_TRANSITIONS = 50_000;

interface DState {
  kernel: Int32Array;
  behind: number;
  ascii: Array<DState | typeof MATCHED | undefined>;
  other: Map<number, DState | typeof MATCHED> | null;
  /** Whether the text may end here with a match: -1 not known yet. */
  endMatch: -1 | 0 | 1;
}

const MATCHED = Symbol('matched');

export class LinearMatcher {
  private readonly states = new Map<string, DState>();
  private transitions = 0;
  private readonly seen: Int32Array;
  private readonly queued: Int32Array;
  private generation = 0;
  private readonly stack: number[] = [];
  private readonly out: number[] = [];
  private readonly behindSets: number[];
  private readonly behindIds = new Map<string, number>();
  /** A code point of each previous-character class (index 0: no previous character). */
  private readonly behindRep: number[] = [-1];
  private readonly initial: DState;

  constructor(private readonly prog: Program) {
    if (prog.needs !== null) throw new Error(`the linear matcher cannot run a program that needs a ${prog.needs}`);
    this.seen = new Int32Array(prog.op.length);
    this.queued = new Int32Array(prog.op.length);
    this.behindSets = [...new Set(prog.preds.filter((p) => !p.ahead).flatMap((p) => p.shapes.map((s) => s.set)).filter((s) => s >= 0))];
    this.initial = this.intern([prog.start], 0);
  }

  /** Whether the pattern matches anywhere in `s` (what RegExp.prototype.test answers). */
  test(s: string): boolean {
    let st = this.initial;
    const n = s.length;
    const lastCached = this.prog.usesLastNext ? n - 1 : n;
    let i = 0;
    while (i < n) {
      let cp = s.charCodeAt(i);
      let w = 1;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        const lo = s.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
          cp = (cp - 0xd800) * 0x400 + lo - 0xdc00 + 0x10000;
          w = 2;
        }
      }
      if (i + w > lastCached) return this.lastStep(st, cp);
      let t = cp < 128 ? st.ascii[cp] : st.other?.get(cp);
      if (t === undefined) t = this.transition(st, cp);
      if (t === MATCHED) return true;
      st = t;
      i += w;
    }
    if (st.endMatch < 0) st.endMatch = this.closure(st.kernel, st.kernel.length, st.behind, -1, false) ? 1 : 0;
    return st.endMatch === 1;
  }

  private transition(st: DState, cp: number): DState | typeof MATCHED {
    const matched = this.closure(st.kernel, st.kernel.length, st.behind, cp, false);
    const t = matched ? MATCHED : this.intern(this.out, this.behindClass(cp));
    if (++this.transitions > MAX_TRANSITIONS || this.states.size > MAX_STATES) this.reset();
    if (cp < 128) st.ascii[cp] = t;
    else (st.other ??= new Map()).set(cp, t);
    return t;
  }

  /** The last character when a predicate asks whether the text ends after it: not cached. */
  private lastStep(st: DState, cp: number): boolean {
    if (this.closure(st.kernel, st.kernel.length, st.behind, cp, true)) return true;
    const kernel = this.out.slice();
    return this.closure(kernel, kernel.length, this.behindClass(cp), -1, false);
  }

  private reset(): void {
    this.states.clear();
    this.transitions = 0;
  }

  private intern(kernel: number[], behind: number): DState {
    kernel.sort((a, b) => a - b);
    const key = `${behind}:${kernel.join(',')}`;
    let st = this.states.get(key);
    if (!st) {
      st = { kernel: Int32Array.from(kernel), behind, ascii: new Array(128), other: null, endMatch: -1 };
      this.states.set(key, st);
    }
    return st;
  }

  /** Classes of previous characters that every look-behind predicate treats alike. */
  private behindClass(cp: number): number {
    let key = '';
    for (const id of this.behindSets) key += this.prog.sets[id]!.has(cp) ? '1' : '0';
    let id = this.behindIds.get(key);
    if (id === undefined) {
      id = this.behindRep.push(cp) - 1;
      this.behindIds.set(key, id);
    }
    return id;
  }

  /**
   * Follows the automaton from `kernel` at one position (`prev` class, `next` code point or -1 at
   * the end); true when it reaches a match. Otherwise `out` holds what waits after `next`.
   */
  private closure(kernel: ArrayLike<number>, size: number, behind: number, next: number, lastNext: boolean): boolean {
    const { op, x, y, sets } = this.prog;
    const gen = ++this.generation;
    const { seen, queued, stack, out } = this;
    const prev = this.behindRep[behind]!;
    stack.length = 0;
    out.length = 0;
    for (let k = 0; k < size; k++) stack.push(kernel[k]!);
    // The search may start a match at every position (only at the first when anchored).
    if (!this.prog.anchored) stack.push(this.prog.start);
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (seen[pc] === gen) continue;
      seen[pc] = gen;
      switch (op[pc]) {
        case Op.Char:
          if (next >= 0 && queued[y[pc]!] !== gen && sets[x[pc]!]!.has(next)) {
            queued[y[pc]!] = gen;
            out.push(y[pc]!);
          }
          break;
        case Op.Split:
          stack.push(y[pc]!, x[pc]!);
          break;
        case Op.Jmp:
          stack.push(x[pc]!);
          break;
        case Op.Assert:
          if (predicateHolds(this.prog, x[pc]!, prev, next, lastNext)) stack.push(y[pc]!);
          break;
        case Op.Match:
          return true;
        default:
          // Save, Reset, Mark, Check: bookkeeping for the backtracker only.
          stack.push(y[pc]!);
      }
    }
    return false;
  }
}
