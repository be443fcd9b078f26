/**
 * The fast engine: runs the optimiser's plan. Candidates come from the profile index merged with the
 * unguarded rule sets in policy order; each shared predicate is evaluated at most once per decision
 * (an epoch-stamped cache), so the work per decision depends on the rule sets that can concern this
 * request, not on how many per-profile rule sets the policy has. Meta-rules with many literal paths
 * read their request type's path index (meta-program.ts), which matches them all in one pass.
 */
import type { DecisionProgramPlan as ProgramPlan, ProgramPredicate as PredicatePlan, ProgramRuleSet as RuleSetPlan, ProgramType as TypePlan } from '../../compiler/program.js';
import { PROFILE_INDEX_WORDS as INDEX_WORDS } from '../../compiler/program.js';
import { DEFAULT_APPROVED } from '../../compiler/ir/types.js';
import type { Candidate, CandidateCursor, Start } from './decide.js';
import { DecisionInput } from './input.js';
import { directMeta, indexedMetas } from './meta-program.js';
import type { PathIndexMode } from './meta-program.js';
import { profileApproves, timeApproves } from './semantics.js';
import type { EvalContext, KssRequest } from './types.js';

type Predicate = (input: DecisionInput) => boolean;

interface TypeProgram {
  /** By predicate id: the shared predicates, with this type's own for meta-rules that read its path index. */
  predicates: Predicate[];
  ruleSets: Array<RuleSetPlan & Candidate>;
  open: number[];
  byHex: Map<string, number[]>;
  byWords: Map<string, number[]> | null;
}

const EMPTY: number[] = [];

export class OptimizedEngine {
  private readonly types = new Map<string, TypeProgram>();
  readonly predicates: Predicate[];
  /** Per-decision memo of shared predicates: value[i] is valid when stamp[i] equals the decision's epoch. */
  readonly stamp: Uint32Array;
  readonly value: Uint8Array;
  private epoch = 0;

  constructor(plan: ProgramPlan, pathIndex: PathIndexMode = 'auto') {
    this.predicates = plan.predicates.map(buildPredicate);
    this.stamp = new Uint32Array(this.predicates.length);
    this.value = new Uint8Array(this.predicates.length);
    for (const t of plan.types) this.types.set(t.type, buildType(t, this.predicates, indexedMetas(t, plan.predicates, pathIndex)));
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
  /** How far each sorted list of rule set positions (open, by hex id, by words) has been tried. */
  private nextOpen = 0;
  private nextHex = 0;
  private nextWords = 0;
  private readonly hexList: number[];
  private readonly wordList: number[];

  constructor(
    private readonly engine: OptimizedEngine,
    private readonly program: TypeProgram,
    readonly input: DecisionInput,
    private readonly epoch: number,
  ) {
    const pid = program.byHex.size > 0 ? input.profileId() : null;
    this.hexList = (pid !== null && program.byHex.get(pid)) || EMPTY;
    let words: number[] = EMPTY;
    if (program.byWords !== null) {
      const w = input.profileWords();
      if (w !== null && w.length >= INDEX_WORDS) words = program.byWords.get(w.slice(0, INDEX_WORDS).join(' ')) ?? EMPTY;
    }
    this.wordList = words;
  }

  next(): Candidate | null {
    const openList = this.program.open;
    const { hexList, wordList } = this;
    for (;;) {
      // The smallest position not yet tried among the three sorted lists (a rule set may be in two).
      const openHead = this.nextOpen < openList.length ? openList[this.nextOpen]! : Infinity;
      const hexHead = this.nextHex < hexList.length ? hexList[this.nextHex]! : Infinity;
      const wordHead = this.nextWords < wordList.length ? wordList[this.nextWords]! : Infinity;
      const position = Math.min(openHead, hexHead, wordHead);
      if (position === Infinity) return null;
      if (openHead === position) this.nextOpen++;
      if (hexHead === position) this.nextHex++;
      if (wordHead === position) this.nextWords++;
      const set = this.program.ruleSets[position]!;
      // Found through the hex index: its hex-only guard has approved this profile id already.
      if (this.passes(hexHead === position ? set.afterHexGuard : set.predicates)) return set;
    }
  }

  private passes(ids: number[]): boolean {
    const { stamp, value } = this.engine;
    const { predicates } = this.program;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      let ok: boolean;
      if (stamp[id] === this.epoch) ok = value[id] === 1;
      else {
        ok = predicates[id]!(this.input);
        stamp[id] = this.epoch;
        value[id] = ok ? 1 : 0;
      }
      if (!ok) return false;
    }
    return true;
  }
}

function buildType(t: TypePlan, shared: Predicate[], own: Map<number, Predicate>): TypeProgram {
  const words = Object.entries(t.byWords);
  const predicates = own.size > 0 ? shared.slice() : shared;
  for (const [id, p] of own) predicates[id] = p;
  return {
    predicates,
    ruleSets: t.ruleSets.map((s) => ({ ...s, ruleIds: s.ruleIds, throttles: s.throttles })),
    open: t.open,
    byHex: new Map(Object.entries(t.byHex)),
    byWords: words.length > 0 ? new Map(words) : null,
  };
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
