/**
 * The budgeted backtracker, for the programs the linear matcher cannot run: back-references and
 * look-arounds wider than one character. It follows JavaScript's matching rules for the translated
 * source (captures cleared per iteration, an empty optional iteration fails, look-arounds are atomic,
 * an unset group matches empty) and counts its steps: past `budget` it throws `BudgetExceeded`, and
 * the rule that asked cannot decide (SPEC §2.5, §4.1). The checker rejects the patterns whose
 * backtracking can blow up (compiler/grammars/regex/redos.ts); the budget bounds the rest.
 */
import { Op, predicateHolds, type Look, type Program } from '../../../compiler/grammars/automaton/program.js';

/**
 * Steps one match may take (an instruction, or a character a back-reference compares): a base and a
 * few per character of the meta, since the patterns the static check passes backtrack linearly. The
 * longest meta (4096 characters) gets about 75,000 steps: a match that spends them all took 0.8-1.6 ms
 * with the first version of `run`, about half that since its loop was tightened (see BacktrackMatcher;
 * bench/step-budget.bench.mjs, bench/README.md). 8 per character is too few:
 * `(?=(?:c|cc){0,16}x)` takes ~10 steps per character of a meta without `c`, which Python decides
 * (test/server/hostile-patterns.test.ts), so the budget stays and the cost per step came down.
 */
export const STEP_BUDGET_BASE = 10_000;
export const STEP_BUDGET_PER_CHARACTER = 16;

export function stepBudget(codePoints: number): number {
  return STEP_BUDGET_BASE + STEP_BUDGET_PER_CHARACTER * codePoints;
}

export class BudgetExceeded extends Error {
  constructor(readonly budget: number) {
    super(`the match took more than ${budget} steps`);
  }
}

const BRANCH = 0;
const RESTORE_CAPTURE = 1;
const RESTORE_REGISTER = 2;

/**
 * The per-step cost is what bounds a match that spends its budget (issue 10 §1: < 1 ms at 4096
 * characters), hence the shape of `run`: the step count, the stack top and the text in locals; the
 * backtracking stack a growable Int32Array of triples (kind, a, b) instead of a number[] that
 * push/pop resize; a class that is one range (most are: `c`, `[a-z]`) tested by two comparisons
 * instead of CharSet's binary search; the text's code points decoded into a buffer kept between
 * matches. Calls out of the loop (look-arounds, back-references) hand the locals over in fields.
 */
export class BacktrackMatcher {
  private cps: Int32Array = new Int32Array(64);
  private n = 0;
  private steps = 0;
  /** Steps the last finished match took. */
  lastSteps = 0;
  private readonly caps: Int32Array;
  private readonly regs: Int32Array;
  private stack: Int32Array = new Int32Array(3 * 256);
  private top = 0;
  /** Per class: its only range, or lo > hi when it has several (then CharSet.has). */
  private readonly setLo: Int32Array;
  private readonly setHi: Int32Array;

  private budget = 0;

  /** `fixedBudget` replaces stepBudget() (for tests). */
  constructor(private readonly prog: Program, private readonly fixedBudget?: number) {
    this.caps = new Int32Array(2 * (prog.groups + 1)).fill(-1);
    this.regs = new Int32Array(prog.registers).fill(-1);
    this.setLo = Int32Array.from(prog.sets, (c) => (c.ranges.length === 1 ? c.ranges[0]![0] : 1));
    this.setHi = Int32Array.from(prog.sets, (c) => (c.ranges.length === 1 ? c.ranges[0]![1] : 0));
  }

  test(s: string): boolean {
    this.n = this.decode(s);
    this.steps = 0;
    this.budget = this.fixedBudget ?? stepBudget(this.n);
    this.caps.fill(-1);
    this.top = 0;
    let found = false;
    for (let at = 0; at <= this.n && !found; at++) {
      found = this.run(this.prog.start, at, -1);
      if (this.prog.anchored) break;
    }
    this.lastSteps = this.steps;
    return found;
  }

  /** The code points of `s` into this.cps; returns how many. */
  private decode(s: string): number {
    if (this.cps.length < s.length) this.cps = new Int32Array(s.length);
    const cps = this.cps;
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cps[n++] = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          continue;
        }
      }
      cps[n++] = c;
    }
    return n;
  }

  /** Room for `words` more on the stack. */
  private grow(words: number): Int32Array {
    if (this.top + words > this.stack.length) {
      const bigger = new Int32Array(Math.max(2 * this.stack.length, this.top + words));
      bigger.set(this.stack);
      this.stack = bigger;
    }
    return this.stack;
  }

  /** Runs from `pc` at `pos` until Match (or, inside a look-around, LookEnd at `end`, -1 anywhere). */
  private run(entry: number, from: number, end: number): boolean {
    const { op, x, y, z, sets } = this.prog;
    const { cps, caps, regs, setLo, setHi, n, budget } = this;
    let stack = this.stack;
    let top = this.top;
    let steps = this.steps;
    const base = top;
    let pc = entry;
    let pos = from;
    for (;;) {
      if (++steps > budget) {
        this.steps = steps;
        throw new BudgetExceeded(budget);
      }
      let ok = true;
      switch (op[pc]) {
        case Op.Char: {
          const set = x[pc]!;
          const cp = pos < n ? cps[pos]! : -1;
          if (cp >= 0 && (setLo[set]! <= setHi[set]! ? cp >= setLo[set]! && cp <= setHi[set]! : sets[set]!.has(cp))) {
            pos++;
            pc = y[pc]!;
          } else ok = false;
          break;
        }
        case Op.Split:
          if (top + 3 > stack.length) {
            this.top = top;
            stack = this.grow(3);
          }
          stack[top] = BRANCH;
          stack[top + 1] = y[pc]!;
          stack[top + 2] = pos;
          top += 3;
          pc = x[pc]!;
          break;
        case Op.Jmp:
          pc = x[pc]!;
          break;
        case Op.Assert:
          if (this.holds(x[pc]!, pos)) pc = y[pc]!;
          else ok = false;
          break;
        case Op.Save:
          if (top + 3 > stack.length) {
            this.top = top;
            stack = this.grow(3);
          }
          stack[top] = RESTORE_CAPTURE;
          stack[top + 1] = x[pc]!;
          stack[top + 2] = caps[x[pc]!]!;
          top += 3;
          caps[x[pc]!] = pos;
          pc = y[pc]!;
          break;
        case Op.Reset:
          this.top = top;
          stack = this.grow(3 * (z[pc]! - x[pc]! + 1));
          for (let slot = x[pc]!; slot <= z[pc]!; slot++) {
            stack[top] = RESTORE_CAPTURE;
            stack[top + 1] = slot;
            stack[top + 2] = caps[slot]!;
            top += 3;
            caps[slot] = -1;
          }
          pc = y[pc]!;
          break;
        case Op.Mark:
          if (top + 3 > stack.length) {
            this.top = top;
            stack = this.grow(3);
          }
          stack[top] = RESTORE_REGISTER;
          stack[top + 1] = x[pc]!;
          stack[top + 2] = regs[x[pc]!]!;
          top += 3;
          regs[x[pc]!] = pos;
          pc = y[pc]!;
          break;
        case Op.Check:
          if (regs[x[pc]!] === pos) ok = false;
          else pc = y[pc]!;
          break;
        case Op.Look: {
          this.top = top;
          this.steps = steps;
          const held = this.look(this.prog.looks[x[pc]!]!, pos);
          stack = this.stack;
          top = this.top;
          steps = this.steps;
          if (held) pc = y[pc]!;
          else ok = false;
          break;
        }
        case Op.Backref: {
          this.steps = steps;
          const len = this.backref(x[pc]!, pos);
          steps = this.steps;
          if (len >= 0) {
            pos += len;
            pc = y[pc]!;
          } else ok = false;
          break;
        }
        case Op.Match:
          this.top = top;
          this.steps = steps;
          return true;
        case Op.LookEnd:
          if (end < 0 || pos === end) {
            this.top = top;
            this.steps = steps;
            return true;
          }
          ok = false;
          break;
      }
      if (ok) continue;
      // Undo down to the last branch above `base` and resume there; none left: this run fails.
      for (;;) {
        if (top <= base) {
          this.top = top;
          this.steps = steps;
          return false;
        }
        top -= 3;
        const kind = stack[top]!;
        if (kind === BRANCH) {
          pc = stack[top + 1]!;
          pos = stack[top + 2]!;
          break;
        }
        if (kind === RESTORE_CAPTURE) caps[stack[top + 1]!] = stack[top + 2]!;
        else regs[stack[top + 1]!] = stack[top + 2]!;
      }
    }
  }

  /** Look-arounds are atomic: once the body matched, its choices are dropped, its captures kept. */
  private look(look: Look, pos: number): boolean {
    const base = this.top;
    const from = look.behind ? pos - look.width : pos;
    const matched = from >= 0 && this.run(look.entry, from, look.behind ? pos : -1);
    if (matched) {
      if (look.negate) {
        this.unwind(base);
        return false;
      }
      this.dropBranches(base);
      return true;
    }
    return look.negate;
  }

  /** Undoes everything above `base`, branches included. */
  private unwind(base: number): void {
    const stack = this.stack;
    while (this.top > base) {
      this.top -= 3;
      const kind = stack[this.top]!;
      if (kind === RESTORE_CAPTURE) this.caps[stack[this.top + 1]!] = stack[this.top + 2]!;
      else if (kind === RESTORE_REGISTER) this.regs[stack[this.top + 1]!] = stack[this.top + 2]!;
    }
  }

  private dropBranches(base: number): void {
    const stack = this.stack;
    let w = base;
    for (let r = base; r < this.top; r += 3) {
      if (stack[r] === BRANCH) continue;
      stack[w] = stack[r]!;
      stack[w + 1] = stack[r + 1]!;
      stack[w + 2] = stack[r + 2]!;
      w += 3;
    }
    this.top = w;
  }

  /** Characters the group's text takes at `pos`, or -1 when it is not there; an unset group matches empty. */
  private backref(group: number, pos: number): number {
    const start = this.caps[2 * group]!;
    const stop = this.caps[2 * group + 1]!;
    if (start < 0 || stop < 0) return 0;
    const len = stop - start;
    this.steps += len;
    if (pos + len > this.n) return -1;
    for (let k = 0; k < len; k++) if (this.cps[start + k] !== this.cps[pos + k]) return -1;
    return len;
  }

  private holds(id: number, pos: number): boolean {
    const prev = pos > 0 ? this.cps[pos - 1]! : -1;
    const next = pos < this.n ? this.cps[pos]! : -1;
    return predicateHolds(this.prog, id, prev, next, pos + 1 === this.n);
  }
}
