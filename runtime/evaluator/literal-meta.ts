/**
 * Meta-rules whose patterns are all literal paths (none inverted), in flat arrays instead of a closure
 * with a wrapper object, a closure and a LiteralPath per pattern. Why: with thousands of per-profile
 * rule sets a decision lands on a random rule set whose objects nothing else has touched for a while;
 * walking ~20 of them, spread over a program of tens of megabytes, cost more cache and TLB misses than
 * the tests themselves (bench/README.md, "evaluator at N=10,000"). Here a rule is a range of
 * `litIds`, and equal literal paths are one shared LiteralPath, so the ones that many rule sets
 * repeat (`/finance/`, `*.pdf`) stay in the cache and only a rule set's own paths are cold.
 *
 * It decides exactly as directMeta (meta-program.ts): without inverted patterns the walk approves an
 * entry when some pattern matches, and each literal test stands for its pattern where
 * `literalApplies`; a subject where it does not (a final line break, non-ASCII without case) goes
 * to the rule's own predicate, which then decides the whole rule.
 */
import type { LiteralPath } from '../../compiler/optimize/literal-path.js';
import type { ProgramPredicate as PredicatePlan } from '../../compiler/program.js';
import type { DecisionInput } from './input.js';
import { literalMatches, subjectTakesLiterals } from './literal-match.js';

type MetaPlan = Extract<PredicatePlan, { kind: 'meta' }>;

export class LiteralMetas {
  /** By predicate id: its literal paths are litIds[from[id]] .. litIds[from[id + 1]] (empty: not such a rule). */
  private readonly from: Int32Array;
  private readonly litIds: Int32Array;
  private readonly lits: LiteralPath[] = [];

  constructor(plans: readonly PredicatePlan[]) {
    const interned = new Map<string, number>();
    const ids: number[] = [];
    this.from = new Int32Array(plans.length + 1);
    plans.forEach((p, id) => {
      this.from[id] = ids.length;
      if (!isLiteralMeta(p)) return;
      for (const lit of p.literals as LiteralPath[]) {
        const key = `${lit.test} ${lit.caseSensitive ? 1 : 0} ${lit.text}`;
        let k = interned.get(key);
        if (k === undefined) interned.set(key, (k = this.lits.push(lit) - 1));
        ids.push(k);
      }
    });
    this.from[plans.length] = ids.length;
    this.litIds = Int32Array.from(ids);
  }

  /** Whether predicate `id` is decided here. */
  has(id: number): boolean {
    return this.from[id + 1]! > this.from[id]!;
  }

  /**
   * Rule `id` on this decision's entries (SPEC §4.1, metaEntriesApprove), or `fallback` where a
   * subject cannot be decided by string tests.
   */
  approves(id: number, caseSensitive: boolean, requireComplete: boolean, input: DecisionInput, fallback: () => boolean): boolean {
    const metas = input.authMeta();
    if (metas === null) return false;
    const subjects = input.metaSubjects(caseSensitive)!;
    const first = this.from[id]!;
    const end = this.from[id + 1]!;
    for (let i = 0; i < metas.length; i++) {
      if (requireComplete && !metas[i]!.complete) return false;
      const subject = subjects[i]!;
      if (!subjectTakesLiterals(caseSensitive, subject)) return fallback();
      let hit = false;
      for (let k = first; k < end && !hit; k++) hit = literalMatches(this.lits[this.litIds[k]!]!, subject);
      if (!hit) return false;
    }
    return true;
  }
}

/** Every pattern a literal path with the rule's case-sensitivity, none inverted. */
export function isLiteralMeta(p: PredicatePlan): p is MetaPlan {
  return p.kind === 'meta' && p.patterns.length > 0
    && p.patterns.every((q, i) => !q.inverted && p.literals[i] != null && p.literals[i]!.caseSensitive === p.caseSensitive);
}
