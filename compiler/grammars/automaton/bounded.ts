/**
 * Which programs a backtracking engine (V8's irregexp) also runs in linear time, provably: those
 * without repetition of unbounded count (an acyclic program) and with few paths. From one start
 * position a backtracking matcher walks a tree whose leaves are the program's paths from start to
 * match, each at most the program's length deep; so with P paths and L instructions it takes at
 * most P·L steps per start position, and a search at most P·L·n. Look-arounds are the one-character
 * predicates here (the program needs no backtracking), each a constant of work. With P·L at most
 * MAX_BACKTRACKING_STEPS that is a few hundred thousand steps on the longest meta, below the
 * automaton's own worst case.
 *
 * Such patterns (`\.pdf$`, `^public`, `(?:finance|hr)/`, short path patterns without an inner `*`) are
 * most of a policy's, and irregexp's compiled code is faster on them than the automaton.
 */
import { Op, type Program } from './program.js';

/** Paths × instructions (steps per start position, at most) above which the automaton runs the program. */
export const MAX_BACKTRACKING_STEPS = 128;

/** The program's number of paths from start to match, or Infinity when it loops (or exceeds `limit`). */
export function pathCount(prog: Program, limit = MAX_BACKTRACKING_STEPS): number {
  const memo = new Float64Array(prog.op.length).fill(-1);
  const visiting = new Uint8Array(prog.op.length);
  const { op, x, y } = prog;
  const count = (pc: number): number => {
    if (memo[pc]! >= 0) return memo[pc]!;
    if (visiting[pc]) return Infinity;
    visiting[pc] = 1;
    let n: number;
    switch (op[pc]) {
      case Op.Match:
        n = 1;
        break;
      case Op.Split:
        n = count(x[pc]!) + count(y[pc]!);
        break;
      case Op.Jmp:
        n = count(x[pc]!);
        break;
      case Op.Look:
      case Op.Backref:
      case Op.LookEnd:
        n = Infinity;
        break;
      default:
        n = count(y[pc]!);
    }
    visiting[pc] = 0;
    memo[pc] = n > limit ? Infinity : n;
    return memo[pc]!;
  };
  return count(prog.start);
}

/** Whether a backtracking engine runs `prog` in linear time (see above). */
export function backtracksBoundedly(prog: Program): boolean {
  return prog.needs === null && pathCount(prog) * prog.op.length <= MAX_BACKTRACKING_STEPS;
}
