/**
 * The fast engine: runs the optimiser's plan. Candidates come from the profile index merged with the
 * unguarded rule sets in policy order; each shared predicate is evaluated at most once per decision
 * (an epoch-stamped cache), so the work per decision depends on the rule sets that can concern this
 * request, not on how many per-profile rule sets the policy has. Meta-rules with many literal paths
 * read their request type's path index (meta-program.ts), which matches them all in one pass.
 */
import type { DecisionProgramPlan as ProgramPlan, ProgramPredicate as PredicatePlan, ProgramType as TypePlan } from '../../compiler/program.js';
import { PROFILE_INDEX_WORDS as INDEX_WORDS } from '../../compiler/program.js';
import { DEFAULT_APPROVED } from '../../compiler/ir/types.js';
import type { Candidate, CandidateCursor, Start } from './decide.js';
import { throttleSpec } from './decide.js';
import { DecisionInput } from './input.js';
import { directMeta, indexedMetas } from './meta-program.js';
import type { PathIndexMode } from './meta-program.js';
import { isLiteralMeta, LiteralMetas } from './literal-meta.js';
import { profileApproves, timeApproves } from './semantics.js';
import type { EvalContext, KssRequest } from './types.js';

type Predicate = (input: DecisionInput) => boolean;

/**
 * A request type's program as flat arrays (struct of arrays): what a decision reads about a rule set
 * it looks at lies in a few typed arrays, next to its neighbours', instead of in objects of its own
 * spread over the heap (see literal-meta.ts for why that matters at N=10,000).
 */
interface TypeProgram {
  /** By predicate id: the shared predicates, with this type's own for meta-rules that read its path index. */
  predicates: Predicate[];
  /** By position; read only for the candidate a cursor returns. */
  candidates: Candidate[];
  /** Position p's steps (its `predicates`) are code[stepsAt[p]] .. code[stepsAt[p + 1]]. */
  stepsAt: Int32Array;
  /**
   * Steps and position lists. A step is a predicate id << STEP_SHIFT | the STEP_* flags; a
   * STEP_LITERAL step is followed by its rule's words (LiteralMetas.encode). The open list, at `open`,
   * and the byWords lists are a count then the positions. A byHex record is its end offset then, per
   * position, the position, the number of words of its `afterHexGuard` steps and those steps: the
   * rule sets of a profile id and what to test of them lie together.
   */
  code: Int32Array;
  open: number;
  byHex: Map<string, number>;
  byWords: Map<string, number> | null;
}

/** The predicate appears in more than one rule set of the type: remember its answer in the decision. */
const STEP_MEMO = 1;
/** A meta-rule of literal paths only (literal-meta.ts), with its case-sensitivity and requireComplete. */
const STEP_LITERAL = 2;
const STEP_CASE = 4;
const STEP_COMPLETE = 8;
const STEP_SHIFT = 4;

export class OptimizedEngine {
  private readonly types = new Map<string, TypeProgram>();
  readonly predicates: Predicate[];
  readonly literalMetas: LiteralMetas;
  /** Per-decision memo of shared predicates: value[i] is valid when stamp[i] equals the decision's epoch. */
  readonly stamp: Uint32Array;
  readonly value: Uint8Array;
  private epoch = 0;

  constructor(plan: ProgramPlan, pathIndex: PathIndexMode = 'auto') {
    this.predicates = plan.predicates.map(buildPredicate);
    this.literalMetas = new LiteralMetas();
    this.stamp = new Uint32Array(this.predicates.length);
    this.value = new Uint8Array(this.predicates.length);
    for (const t of plan.types) {
      const own = indexedMetas(t, plan.predicates, pathIndex);
      const literal = (id: number) => { const p = plan.predicates[id]!; return !own.has(id) && isLiteralMeta(p) ? p : null; };
      this.types.set(t.type, buildType(t, this.predicates, own, literal, this.literalMetas));
    }
  }

  start(req: KssRequest, ctx: EvalContext): Start {
    const type = typeof req === 'object' && req !== null ? req.request_type : undefined;
    const program = typeof type === 'string' ? this.types.get(type) : undefined;
    if (program === undefined) {
      const approved = typeof type === 'string' && (DEFAULT_APPROVED as readonly string[]).includes(type);
      return { decided: { approved, rule_set: null, rule_ids: [] } };
    }
    if (++this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    return { cursor: new OptimizedCursor(this, program, new DecisionInput(req, ctx), this.epoch) };
  }
}

class OptimizedCursor implements CandidateCursor {
  readonly trace = null;
  /** The next and end offsets in program.code of the three sorted lists (open, by hex id, by words). */
  private nextOpen: number;
  private readonly endOpen: number;
  private nextHex = 0;
  private endHex = 0;
  private nextWords = 0;
  private endWords = 0;

  constructor(
    private readonly engine: OptimizedEngine,
    private readonly program: TypeProgram,
    readonly input: DecisionInput,
    private readonly epoch: number,
  ) {
    const code = program.code;
    this.nextOpen = program.open + 1;
    this.endOpen = this.nextOpen + code[program.open]!;
    const pid = program.byHex.size > 0 ? input.profileId() : null;
    const hex = pid !== null ? program.byHex.get(pid) : undefined;
    if (hex !== undefined) {
      this.nextHex = hex + 1;
      this.endHex = code[hex]!;
    }
    if (program.byWords !== null) {
      const w = input.profileWords();
      const at = w !== null && w.length >= INDEX_WORDS ? program.byWords.get(w.slice(0, INDEX_WORDS).join(' ')) : undefined;
      if (at !== undefined) {
        this.nextWords = at + 1;
        this.endWords = at + 1 + code[at]!;
      }
    }
  }

  next(): Candidate | null {
    const { code, stepsAt } = this.program;
    for (;;) {
      // The smallest position not yet tried among the three sorted lists (a rule set may be in two).
      const openHead = this.nextOpen < this.endOpen ? code[this.nextOpen]! : Infinity;
      const hexHead = this.nextHex < this.endHex ? code[this.nextHex]! : Infinity;
      const wordHead = this.nextWords < this.endWords ? code[this.nextWords]! : Infinity;
      const position = Math.min(openHead, hexHead, wordHead);
      if (position === Infinity) return null;
      if (openHead === position) this.nextOpen++;
      if (wordHead === position) this.nextWords++;
      let ok: boolean;
      if (hexHead === position) {
        // Found through the hex index: its hex-only guard has approved this profile id already.
        const from = this.nextHex + 2;
        this.nextHex = from + code[this.nextHex + 1]!;
        ok = this.passes(from, this.nextHex);
      } else {
        ok = this.passes(stepsAt[position]!, stepsAt[position + 1]!);
      }
      if (ok) return this.program.candidates[position]!;
    }
  }

  private passes(from: number, to: number): boolean {
    const { stamp, value } = this.engine;
    const steps = this.program.code;
    for (let k = from; k < to; k++) {
      const step = steps[k]!;
      const id = step >>> STEP_SHIFT;
      const memo = (step & STEP_MEMO) !== 0;
      const literal = (step & STEP_LITERAL) !== 0;
      let ok: boolean;
      if (memo && stamp[id] === this.epoch) ok = value[id] === 1;
      else {
        ok = literal ? this.literal(id, step, k + 1) : this.program.predicates[id]!(this.input);
        if (memo) {
          stamp[id] = this.epoch;
          value[id] = ok ? 1 : 0;
        }
      }
      if (!ok) return false;
      if (literal) k += 1 + steps[k + 1]!;
    }
    return true;
  }

  private literal(id: number, step: number, at: number): boolean {
    const fallback = () => this.program.predicates[id]!(this.input);
    return this.engine.literalMetas.approves(this.program.code, at, (step & STEP_CASE) !== 0, (step & STEP_COMPLETE) !== 0, this.input, fallback);
  }
}

type MetaPlan = Extract<PredicatePlan, { kind: 'meta' }>;

/** `literal(id)`: the plan of predicate id when this type decides it as a literal meta-rule, else null. */
function buildType(t: TypePlan, shared: Predicate[], own: Map<number, Predicate>, literal: (id: number) => MetaPlan | null, literals: LiteralMetas): TypeProgram {
  const predicates = own.size > 0 ? shared.slice() : shared;
  for (const [id, p] of own) predicates[id] = p;
  // In how many rule sets each predicate appears: one only means it is tested at most once per decision.
  const uses = new Map<number, number>();
  for (const s of t.ruleSets) for (const id of new Set(s.predicates)) uses.set(id, (uses.get(id) ?? 0) + 1);
  const code: number[] = [];
  const encoded = new Map<number, number[]>();
  const steps = (ids: number[]) => {
    for (const id of ids) {
      let words = encoded.get(id);
      if (words === undefined) encoded.set(id, (words = encodeStep(id, uses.get(id)! > 1, literal(id), literals)));
      for (const w of words) code.push(w);
    }
  };
  const stepsAt = new Int32Array(t.ruleSets.length + 1);
  t.ruleSets.forEach((s, p) => {
    stepsAt[p] = code.length;
    steps(s.predicates);
  });
  stepsAt[t.ruleSets.length] = code.length;
  const list = (positions: number[]) => {
    const at = code.length;
    code.push(positions.length);
    for (const p of positions) code.push(p);
    return at;
  };
  const open = list(t.open);
  const byWords = new Map(Object.entries(t.byWords).map(([k, positions]) => [k, list(positions)]));
  const byHex = new Map(Object.entries(t.byHex).map(([k, positions]) => {
    const at = code.length;
    code.push(0);
    for (const p of positions) {
      code.push(p, 0);
      const from = code.length;
      steps(t.ruleSets[p]!.afterHexGuard);
      code[from - 1] = code.length - from;
    }
    code[at] = code.length;
    return [k, at];
  }));
  return {
    predicates,
    // Throttles of their own (not the plan's objects): each holds its counter hint (decide.ts).
    candidates: t.ruleSets.map((s) => ({ ruleSet: s.ruleSet, ruleIds: s.ruleIds, throttles: s.throttles.map(throttleSpec) })),
    stepsAt,
    code: Int32Array.from(code),
    open,
    byHex,
    byWords: byWords.size > 0 ? byWords : null,
  };
}

function encodeStep(id: number, memo: boolean, meta: MetaPlan | null, literals: LiteralMetas): number[] {
  const flags = (memo ? STEP_MEMO : 0) | (meta === null ? 0 : STEP_LITERAL | (meta.caseSensitive ? STEP_CASE : 0) | (meta.requireComplete ? STEP_COMPLETE : 0));
  return meta === null ? [(id << STEP_SHIFT) | flags] : [(id << STEP_SHIFT) | flags, ...literals.encode(meta)];
}

function buildPredicate(p: PredicatePlan): Predicate {
  switch (p.kind) {
    case 'has-profile':
      return (input) => input.profileId() !== null;
    case 'profile': {
      const hex = new Set(p.hexIds);
      if (p.wordLists.length === 0) return (input) => { const id = input.profileId(); return id !== null && hex.has(id); };
      return (input) => profileApproves(p, hex, input.profileId(), input.profileWords());
    }
    case 'time':
      return (input) => timeApproves(p, input.moment());
    case 'meta':
      // Where a decision may look at many literal paths, the request type's path index instead (buildType).
      return directMeta(p);
  }
}
