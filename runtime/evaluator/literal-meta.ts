/**
 * Meta-rules whose patterns are all literal paths (none inverted), in flat arrays instead of a closure
 * with a wrapper object, a closure and a LiteralPath per pattern. Why: with thousands of per-profile
 * rule sets a decision lands on a random rule set whose objects nothing else has touched for a while;
 * walking ~20 of them, spread over a program of tens of megabytes, cost more cache and TLB misses than
 * the tests themselves (bench/README.md, "evaluator at N=10,000"). Here a rule is a few words inline
 * in its rule set's steps (its paths' tests and text ids), and equal literal paths share one text,
 * so the ones that many rule sets repeat (`/finance/`, `*.pdf`) stay in the cache and only a rule
 * set's own texts are cold.
 *
 * It decides exactly as directMeta (meta-program.ts): without inverted patterns the walk approves an
 * entry when some pattern matches, and each literal test stands for its pattern where
 * `literalApplies`; a subject where it does not (a final line break, non-ASCII without case) goes
 * to the rule's own predicate, which then decides the whole rule.
 */
import type { LiteralPath } from '../../compiler/optimize/literal-path.js';
import type { ProgramPredicate as PredicatePlan } from '../../compiler/program.js';
import type { DecisionInput } from './input.js';
import { LITERAL_TEST, literalTest, subjectTakesLiterals } from './literal-match.js';

type MetaPlan = Extract<PredicatePlan, { kind: 'meta' }>;

export class LiteralMetas {
  /** The literal paths' texts by literal id; equal (test, text) pairs share one id. */
  private readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();

  /**
   * A literal meta-rule's words in a program's steps (optimized.ts): the number of its paths, then
   * per path its literal id << 2 | its test (LITERAL_TEST).
   */
  encode(p: MetaPlan): number[] {
    const words = [p.literals.length];
    for (const lit of p.literals as LiteralPath[]) {
      const key = `${lit.test} ${lit.text}`;
      let id = this.ids.get(key);
      if (id === undefined) this.ids.set(key, (id = this.texts.push(lit.text) - 1));
      words.push((id << 2) | LITERAL_TEST[lit.test]);
    }
    return words;
  }

  /**
   * The rule encoded at steps[at] (its count) on this decision's entries (SPEC §4.1,
   * metaEntriesApprove), or `fallback()` where a subject cannot be decided by string tests.
   */
  approves(steps: Int32Array, at: number, caseSensitive: boolean, requireComplete: boolean, input: DecisionInput, fallback: () => boolean): boolean {
    const metas = input.authMeta();
    if (metas === null) return false;
    const subjects = input.metaSubjects(caseSensitive)!;
    const end = at + 1 + steps[at]!;
    for (let i = 0; i < metas.length; i++) {
      if (requireComplete && !metas[i]!.complete) return false;
      const subject = subjects[i]!;
      if (!subjectTakesLiterals(caseSensitive, subject)) return fallback();
      let hit = false;
      for (let k = at + 1; k < end && !hit; k++) hit = literalTest(steps[k]! & 3, this.texts[steps[k]! >>> 2]!, subject);
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
