/**
 * A parsed source (parse.ts) → one instruction program that both matchers run: the linear-time
 * automaton (runtime/evaluator/matcher/linear.ts) when the program needs no backtracking, the
 * budgeted backtracker (matcher/backtrack.ts) otherwise. Thompson's construction, built back to
 * front: each node is compiled with the pc of what follows it.
 *
 * Assertions that look at one character on either side (`^`, `$`, Python's `$` as `(?=\n?$)`, `\b`
 * as look-arounds over a class, `(?<=[^])`...) become predicates of the previous and next character
 * (`Pred`), which an automaton evaluates as it goes. Wider look-arounds and back-references need
 * backtracking (`needs`).
 */
import { CharSet } from '../unicode/charset.js';
import { parseJsSource, type RxNode } from './parse.js';
import { anchoredAtStart, captureRange, fixedWidth, groupWidthsOf, lookShapes, nullable, type RawShape } from './tree.js';

export const Op = {
  /** x: set, y: next. */
  Char: 0,
  /** x: preferred, y: other. */
  Split: 1,
  /** x: target. */
  Jmp: 2,
  /** x: predicate, y: next. */
  Assert: 3,
  /** x: capture slot, y: next. */
  Save: 4,
  /** x..z: capture slots cleared at the start of an iteration (as JavaScript does), y: next. */
  Reset: 5,
  /** x: register that remembers where an iteration started, y: next. */
  Mark: 6,
  /** x: register; an iteration beyond the minimum that matched nothing fails; y: next. */
  Check: 7,
  /** x: look, y: next. */
  Look: 8,
  /** x: group, y: next. */
  Backref: 9,
  Match: 10,
  /** The end of a look-around's body. */
  LookEnd: 11,
} as const;

/**
 * One way a one-character look-around can hold: ahead, the next character is in `set` (or there
 * is none needed, `set` -1) and, with `end`, the text ends right after it; behind, the previous
 * character is in `set`.
 */
export interface Shape {
  set: number;
  end: boolean;
}

export interface Pred {
  ahead: boolean;
  negate: boolean;
  shapes: Shape[];
}

export interface Look {
  entry: number;
  behind: boolean;
  negate: boolean;
  /** Code points a look-behind's body matches (Python allows only fixed widths). */
  width: number;
}

export interface Program {
  op: Uint8Array;
  x: Int32Array;
  y: Int32Array;
  z: Int32Array;
  sets: CharSet[];
  preds: Pred[];
  looks: Look[];
  start: number;
  /** Every match starts at the beginning of the text (the pattern starts with `^`). */
  anchored: boolean;
  groups: number;
  registers: number;
  /** What makes the program need backtracking, or null: the automaton runs it in linear time. */
  needs: 'back-reference' | 'look-around' | null;
  /** Some predicate asks whether the text ends right after the next character. */
  usesLastNext: boolean;
}

/**
 * Whether predicate `id` holds between `prev` and `next` (code points, -1 at either end of the
 * text); `lastNext`: the text ends right after `next`.
 */
export function predicateHolds(prog: Program, id: number, prev: number, next: number, lastNext: boolean): boolean {
  const p = prog.preds[id]!;
  const sets = prog.sets;
  let hit = false;
  for (const s of p.shapes) {
    if (p.ahead) hit = s.set < 0 ? !s.end || next < 0 : next >= 0 && sets[s.set]!.has(next) && (!s.end || lastNext);
    else hit = s.set < 0 || (prev >= 0 && sets[s.set]!.has(prev));
    if (hit) break;
  }
  return hit !== p.negate;
}

/** Instructions at most: counted repetition is expanded, and the automaton's cost per character grows with it. */
export const MAX_INSTRUCTIONS = 10_000;

export class ProgramTooLarge extends Error {
  constructor() {
    super(`the pattern needs more than ${MAX_INSTRUCTIONS} automaton instructions`);
  }
}

const ALL = CharSet.ALL;

/** Compiles translated JavaScript source; throws JsSourceError (a kss bug) or ProgramTooLarge. */
export function compileSource(jsSource: string): Program {
  const { root, groups } = parseJsSource(jsSource);
  return new ProgramBuilder(groups).build(root);
}

class ProgramBuilder {
  private readonly op: number[] = [];
  private readonly x: number[] = [];
  private readonly y: number[] = [];
  private readonly z: number[] = [];
  private readonly sets: CharSet[] = [];
  private readonly setIds = new Map<string, number>();
  private readonly preds: Pred[] = [];
  private readonly looks: Look[] = [];
  private groupWidths = new Map<number, number | null>();
  private registers = 0;
  private needs: Program['needs'] = null;

  constructor(private readonly groups: number) {}

  build(root: RxNode): Program {
    // Built back to front, so a group's width must be known before the references after it.
    this.groupWidths = groupWidthsOf(root);
    const match = this.emit(Op.Match, 0, 0);
    const start = this.node(root, match);
    const preds = this.preds;
    return {
      op: Uint8Array.from(this.op), x: Int32Array.from(this.x), y: Int32Array.from(this.y), z: Int32Array.from(this.z),
      sets: this.sets, preds, looks: this.looks, start, anchored: anchoredAtStart(root), groups: this.groups, registers: this.registers,
      needs: this.needs, usesLastNext: preds.some((p) => p.ahead && p.shapes.some((s) => s.end && s.set >= 0)),
    };
  }

  private emit(op: number, x: number, y: number, z = 0): number {
    if (this.op.length >= MAX_INSTRUCTIONS) throw new ProgramTooLarge();
    this.op.push(op);
    this.x.push(x);
    this.y.push(y);
    this.z.push(z);
    return this.op.length - 1;
  }

  private setId(set: CharSet): number {
    const key = set.ranges.join(';');
    let id = this.setIds.get(key);
    if (id === undefined) {
      id = this.sets.push(set) - 1;
      this.setIds.set(key, id);
    }
    return id;
  }

  /** Compiles `n` followed by the code at `next`; returns its entry. */
  private node(n: RxNode, next: number): number {
    switch (n.type) {
      case 'set':
        return this.emit(Op.Char, this.setId(n.set), next);
      case 'seq': {
        let k = next;
        for (let i = n.items.length - 1; i >= 0; i--) k = this.node(n.items[i]!, k);
        return k;
      }
      case 'alt': {
        const entries = n.branches.map((b) => this.node(b, next));
        let k = entries[entries.length - 1]!;
        for (let i = entries.length - 2; i >= 0; i--) k = this.emit(Op.Split, entries[i]!, k);
        return k;
      }
      case 'group': {
        if (n.capture === null) return this.node(n.body, next);
        const g = n.capture;
        return this.emit(Op.Save, 2 * g, this.node(n.body, this.emit(Op.Save, 2 * g + 1, next)));
      }
      case 'repeat':
        return this.repeat(n, next);
      case 'edge':
        return this.emit(Op.Assert, this.pred(n.kind === 'start' ? START : END), next);
      case 'look': {
        const shapes = lookShapes(n.body, !n.behind);
        if (shapes) return this.emit(Op.Assert, this.pred({ ahead: !n.behind, negate: n.negate, shapes }), next);
        this.needs ??= 'look-around';
        const width = n.behind ? fixedWidth(n.body, this.groupWidths) : 0;
        if (width === null) throw new Error('a look-behind without a fixed width');
        const id = this.looks.length;
        this.looks.push({ entry: -1, behind: n.behind, negate: n.negate, width });
        this.looks[id]!.entry = this.node(n.body, this.emit(Op.LookEnd, 0, 0));
        return this.emit(Op.Look, id, next);
      }
      case 'backref':
        this.needs = 'back-reference';
        return this.emit(Op.Backref, n.group, next);
    }
  }

  private pred(p: { ahead: boolean; negate: boolean; shapes: RawShape[] }): number {
    const shapes = p.shapes.map((s) => ({ set: s.set === null ? -1 : this.setId(s.set), end: s.end }));
    return this.preds.push({ ahead: p.ahead, negate: p.negate, shapes }) - 1;
  }

  /** Mandatory copies, then optional ones (nested) or a loop. */
  private repeat(n: Extract<RxNode, { type: 'repeat' }>, next: number): number {
    const { min, max, greedy, body } = n;
    const guarded = nullable(body);
    const captures = captureRange(body);
    // One iteration: clear the body's groups (JavaScript does), and for a body that can match
    // nothing, remember where it began so that an empty optional iteration fails.
    const iteration = (k: number, optional: boolean): number => {
      let entry: number;
      if (optional && guarded) {
        const r = this.registers++;
        entry = this.emit(Op.Mark, r, this.node(body, this.emit(Op.Check, r, k)));
      } else entry = this.node(body, k);
      return captures ? this.emit(Op.Reset, captures[0], entry, captures[1]) : entry;
    };
    const choose = (take: number, skip: number) => (greedy ? this.emit(Op.Split, take, skip) : this.emit(Op.Split, skip, take));
    let k: number;
    if (max === Infinity) {
      // loop: Split(iteration → loop, next); the Split's target is patched once the body exists.
      const loop = this.emit(Op.Split, 0, 0);
      const entry = iteration(this.emit(Op.Jmp, loop, 0), true);
      this.x[loop] = greedy ? entry : next;
      this.y[loop] = greedy ? next : entry;
      k = loop;
    } else {
      k = next;
      for (let i = 0; i < max - min; i++) k = choose(iteration(k, true), next);
    }
    for (let i = 0; i < min; i++) k = iteration(k, false);
    return k;
  }
}

const START = { ahead: false, negate: true, shapes: [{ set: ALL, end: false }] };
const END = { ahead: true, negate: true, shapes: [{ set: ALL, end: false }] };
