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
 * longest meta (4096 characters) gets about 75,000 steps: a match that spends them all takes
 * 0.8-1.6 ms on this shared 2-core machine (bench/step-budget.bench.mjs), over the 1 ms target of
 * issue 10 §1. 8 per character is too few: `(?=(?:c|cc){0,16}x)` takes ~10 steps per character of a
 * meta without `c`, which Python decides (test/server/hostile-patterns.test.ts); the per-step cost
 * has to come down instead.
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

export class BacktrackMatcher {
  private cps = new Int32Array(0);
  private n = 0;
  private steps = 0;
  /** Steps the last finished match took. */
  lastSteps = 0;
  private readonly caps: Int32Array;
  private readonly regs: Int32Array;
  /** Triples: kind, a, b. */
  private readonly stack: number[] = [];

  private budget = 0;

  /** `fixedBudget` replaces stepBudget() (for tests). */
  constructor(private readonly prog: Program, private readonly fixedBudget?: number) {
    this.caps = new Int32Array(2 * (prog.groups + 1)).fill(-1);
    this.regs = new Int32Array(prog.registers).fill(-1);
  }

  test(s: string): boolean {
    this.cps = Int32Array.from(s, (c) => c.codePointAt(0)!);
    this.n = this.cps.length;
    this.steps = 0;
    this.budget = this.fixedBudget ?? stepBudget(this.n);
    this.caps.fill(-1);
    this.stack.length = 0;
    try {
      let found = false;
      for (let at = 0; at <= this.n && !found; at++) {
        found = this.run(this.prog.start, at, -1);
        if (this.prog.anchored) break;
      }
      this.lastSteps = this.steps;
      return found;
    } finally {
      this.cps = new Int32Array(0);
    }
  }

  /** Runs from `pc` at `pos` until Match (or, inside a look-around, LookEnd at `end`, -1 anywhere). */
  private run(entry: number, from: number, end: number): boolean {
    const { op, x, y, z, sets } = this.prog;
    const { cps, caps, regs, stack } = this;
    const base = stack.length;
    let pc = entry;
    let pos = from;
    for (;;) {
      if (++this.steps > this.budget) throw new BudgetExceeded(this.budget);
      let ok = true;
      switch (op[pc]) {
        case Op.Char:
          if (pos < this.n && sets[x[pc]!]!.has(cps[pos]!)) {
            pos++;
            pc = y[pc]!;
          } else ok = false;
          break;
        case Op.Split:
          stack.push(BRANCH, y[pc]!, pos);
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
          stack.push(RESTORE_CAPTURE, x[pc]!, caps[x[pc]!]!);
          caps[x[pc]!] = pos;
          pc = y[pc]!;
          break;
        case Op.Reset:
          for (let slot = x[pc]!; slot <= z[pc]!; slot++) {
            stack.push(RESTORE_CAPTURE, slot, caps[slot]!);
            caps[slot] = -1;
          }
          pc = y[pc]!;
          break;
        case Op.Mark:
          stack.push(RESTORE_REGISTER, x[pc]!, regs[x[pc]!]!);
          regs[x[pc]!] = pos;
          pc = y[pc]!;
          break;
        case Op.Check:
          if (regs[x[pc]!] === pos) ok = false;
          else pc = y[pc]!;
          break;
        case Op.Look:
          if (this.look(this.prog.looks[x[pc]!]!, pos)) pc = y[pc]!;
          else ok = false;
          break;
        case Op.Backref: {
          const len = this.backref(x[pc]!, pos);
          if (len >= 0) {
            pos += len;
            pc = y[pc]!;
          } else ok = false;
          break;
        }
        case Op.Match:
          return true;
        case Op.LookEnd:
          if (end < 0 || pos === end) return true;
          ok = false;
          break;
      }
      if (ok) continue;
      if (!this.backtrack(base)) return false;
      pc = this.resumePc;
      pos = this.resumePos;
    }
  }

  private resumePc = 0;
  private resumePos = 0;

  /** Undoes down to the last branch above `base` (its pc and position in resumePc, resumePos); false when there is none. */
  private backtrack(base: number): boolean {
    const stack = this.stack;
    while (stack.length > base) {
      const b = stack.pop()!;
      const a = stack.pop()!;
      const kind = stack.pop()!;
      if (kind === BRANCH) {
        this.resumePc = a;
        this.resumePos = b;
        return true;
      }
      if (kind === RESTORE_CAPTURE) this.caps[a] = b;
      else this.regs[a] = b;
    }
    return false;
  }

  /** Look-arounds are atomic: once the body matched, its choices are dropped, its captures kept. */
  private look(look: Look, pos: number): boolean {
    const base = this.stack.length;
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
    while (this.backtrack(base));
  }

  private dropBranches(base: number): void {
    const stack = this.stack;
    let w = base;
    for (let r = base; r < stack.length; r += 3) {
      if (stack[r] === BRANCH) continue;
      stack[w] = stack[r]!;
      stack[w + 1] = stack[r + 1]!;
      stack[w + 2] = stack[r + 2]!;
      w += 3;
    }
    stack.length = w;
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
