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

/** Transition table entries besides a state id. */
const UNKNOWN = -1;
const MATCHED = -2;
/** Anchored and nothing left to try: no match. */
const DEAD = -3;

interface DState {
  kernel: Int32Array;
  behind: number;
  /** Next state (or MATCHED, DEAD, UNKNOWN) by ASCII code, then by other code points. */
  ascii: Int32Array;
  other: Map<number, number> | null;
  /** The answer when the next character is the text's last: 0 unknown, 1 no, 2 yes (when predicates ask). */
  lastAscii: Int8Array | null;
  lastOther: Map<number, boolean> | null;
  /** Whether the text may end here with a match: -1 not known yet. */
  endMatch: -1 | 0 | 1;
}

export class LinearMatcher {
  private states: DState[] = [];
  private readonly ids = new Map<string, number>();
  private transitions = 0;
  /** How often the cache was full and started again (for tests and benchmarks). */
  resets = -1;
  private readonly seen: Int32Array;
  private readonly queued: Int32Array;
  private generation = 0;
  private readonly stack: number[] = [];
  private readonly out: number[] = [];
  private readonly behindSets: number[];
  private readonly behindIds = new Map<string, number>();
  /** A code point of each previous-character class (index 0: no previous character). */
  private readonly behindRep: number[] = [-1];

  constructor(private readonly prog: Program) {
    if (prog.needs !== null) throw new Error(`the linear matcher cannot run a program that needs a ${prog.needs}`);
    this.seen = new Int32Array(prog.op.length);
    this.queued = new Int32Array(prog.op.length);
    this.behindSets = [...new Set(prog.preds.filter((p) => !p.ahead).flatMap((p) => p.shapes.map((s) => s.set)).filter((s) => s >= 0))];
    this.reset();
  }

  /** Whether the pattern matches anywhere in `s` (what RegExp.prototype.test answers). */
  test(s: string): boolean {
    let st = this.states[0]!;
    const n = s.length;
    const lastApart = this.prog.usesLastNext;
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
      if (lastApart && i + w === n) return this.lastStep(st, cp);
      let t = cp < 128 ? st.ascii[cp]! : (st.other?.get(cp) ?? UNKNOWN);
      if (t === UNKNOWN) t = this.transition(st, cp);
      if (t < 0) return t === MATCHED;
      st = this.states[t]!;
      i += w;
    }
    if (st.endMatch < 0) st.endMatch = this.closure(st.kernel, st.behind, -1, false) ? 1 : 0;
    return st.endMatch === 1;
  }

  /**
   * For runtime/diff's exploration of the strings a set of patterns tells apart: the DFA state
   * after reading `prefix` (a state id, or -2 once a match is certain, -3 when none can come).
   * Strings that reach the same state and agree on `test` behave alike under every extension.
   * Ids hold only while `resets` stays the same (the cache may start again).
   */
  stateAfter(text: string, from = 0): number {
    let t = from;
    for (const ch of text) {
      if (t < 0) return t;
      const cp = ch.codePointAt(0)!;
      const st = this.states[t]!;
      t = cp < 128 ? st.ascii[cp]! : (st.other?.get(cp) ?? UNKNOWN);
      if (t === UNKNOWN) t = this.transition(st, cp);
      if (t < 0) return t;
    }
    return t;
  }

  private transition(st: DState, cp: number): number {
    let t: number;
    if (this.closure(st.kernel, st.behind, cp, false)) t = MATCHED;
    else if (this.out.length === 0 && this.prog.anchored) t = DEAD;
    else {
      if (++this.transitions > MAX_TRANSITIONS || this.states.length >= MAX_STATES) {
        // Start the cache again; `st` leaves it, so its table is not written.
        this.reset();
        return this.intern(this.out, this.behindClass(cp));
      }
      t = this.intern(this.out, this.behindClass(cp));
    }
    if (cp < 128) st.ascii[cp] = t;
    else (st.other ??= new Map()).set(cp, t);
    return t;
  }

  /** The last character when a predicate asks whether the text ends right after it. */
  private lastStep(st: DState, cp: number): boolean {
    const known = cp < 128 ? (st.lastAscii?.[cp] ?? 0) : st.lastOther?.has(cp) ? (st.lastOther.get(cp) ? 2 : 1) : 0;
    if (known !== 0) return known === 2;
    let answer = this.closure(st.kernel, st.behind, cp, true);
    if (!answer) answer = this.closure(this.out.slice(), this.behindClass(cp), -1, false);
    if (cp < 128) (st.lastAscii ??= new Int8Array(128))[cp] = answer ? 2 : 1;
    else (st.lastOther ??= new Map()).set(cp, answer);
    return answer;
  }

  private reset(): void {
    this.resets++;
    this.states = [];
    this.ids.clear();
    this.transitions = 0;
    this.intern([this.prog.start], 0);
  }

  private intern(kernel: number[], behind: number): number {
    kernel.sort((a, b) => a - b);
    const key = `${behind}:${kernel.join(',')}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.states.push({ kernel: Int32Array.from(kernel), behind, ascii: new Int32Array(128).fill(UNKNOWN), other: null, lastAscii: null, lastOther: null, endMatch: -1 }) - 1;
      this.ids.set(key, id);
    }
    return id;
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
  private closure(kernel: ArrayLike<number>, behind: number, next: number, lastNext: boolean): boolean {
    const { op, x, y, sets } = this.prog;
    const gen = ++this.generation;
    const { seen, queued, stack, out } = this;
    const prev = this.behindRep[behind]!;
    stack.length = 0;
    out.length = 0;
    for (let k = 0; k < kernel.length; k++) stack.push(kernel[k]!);
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
