/**
 * Meta-rules whose patterns are all literal paths (none inverted), in flat arrays instead of a closure
 * with a wrapper object, a closure and a LiteralPath per pattern. Why: with thousands of per-profile
 * rule sets a decision lands on a random rule set whose objects nothing else has touched for a while;
 * walking ~20 of them, spread over a program of tens of megabytes, cost more cache and TLB misses than
 * the tests themselves (bench/README.md, "evaluator at N=10,000"). Here a rule is a few words inline
 * in its rule set's steps: per path its test and either its text itself (short root and base
 * paths) or the id of a text that equal paths share, so that the texts many rule sets repeat stay in
 * the cache.
 *
 * It decides exactly as directMeta (meta-program.ts): without inverted patterns the walk approves an
 * entry when some pattern matches, and each literal test stands for its pattern where
 * `literalApplies`; a subject where it does not (a final line break, non-ASCII without case) goes
 * to the rule's own predicate, which then decides the whole rule.
 */
import type { LiteralPath } from '../../compiler/optimize/literal-path.js';
import type { ProgramPredicate as PredicatePlan } from '../../compiler/program.js';
import type { DecisionInput } from './input.js';
import { inlineLiteralTest, LITERAL_TEST, literalTest, subjectTakesLiterals } from './literal-match.js';

const INLINE = 4;
/** Longer texts are fetched by id: a rule set's steps stay within a cache line or two. */
const INLINE_MAX = 24;

type MetaPlan = Extract<PredicatePlan, { kind: 'meta' }>;

export class LiteralMetas {
  /** The literal paths' texts by literal id; equal (test, text) pairs share one id. */
  private readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();

  /**
   * A literal meta-rule's words in a program's code (optimized.ts): how many words follow, then per
   * path either its test | INLINE | its length << 3 and its text two units per word (root and base
   * tests of short texts: no text to fetch), or its test | its text id << 3.
   */
  encode(p: MetaPlan): number[] {
    const words = [0];
    for (const lit of p.literals as LiteralPath[]) {
      const test = LITERAL_TEST[lit.test];
      if ((test === LITERAL_TEST.root || test === LITERAL_TEST.base) && lit.text.length <= INLINE_MAX) {
        words.push((lit.text.length << 3) | INLINE | test);
        for (let j = 0; j < lit.text.length; j += 2) words.push(lit.text.charCodeAt(j) | ((j + 1 < lit.text.length ? lit.text.charCodeAt(j + 1) : 0) << 16));
        continue;
      }
      const key = `${test} ${lit.text}`;
      let id = this.ids.get(key);
      if (id === undefined) this.ids.set(key, (id = this.texts.push(lit.text) - 1));
      words.push((id << 3) | test);
    }
    words[0] = words.length - 1;
    return words;
  }

  /**
   * The rule encoded at code[at] (its number of words) on this decision's entries (SPEC §4.1,
   * metaEntriesApprove), or `fallback()` where a subject cannot be decided by string tests.
   */
  approves(code: Int32Array, at: number, caseSensitive: boolean, requireComplete: boolean, input: DecisionInput, fallback: () => boolean): boolean {
    const metas = input.authMeta();
    if (metas === null) return false;
    const subjects = input.metaSubjects(caseSensitive)!;
    const end = at + 1 + code[at]!;
    for (let i = 0; i < metas.length; i++) {
      if (requireComplete && !metas[i]!.complete) return false;
      const subject = subjects[i]!;
      if (!subjectTakesLiterals(caseSensitive, subject)) return fallback();
      let hit = false;
      for (let k = at + 1; k < end && !hit;) {
        const w = code[k]!;
        if ((w & INLINE) !== 0) {
          hit = inlineLiteralTest(w & 3, code, k + 1, w >>> 3, subject);
          k += 1 + ((w >>> 3) + 1 >>> 1);
        } else {
          hit = literalTest(w & 3, this.texts[w >>> 3]!, subject);
          k++;
        }
      }
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
