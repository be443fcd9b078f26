/**
 * Meta-rules in the fast engine. The literal path patterns of a rule are read from its request type's
 * path index (path-index.ts): one pass per subject decides them for every meta-rule of the type, and
 * the answer is remembered, so a pattern that many rule sets share is decided once per decision. The
 * other patterns (regexes, paths with `*` inside) keep their RegExps; when the index cannot decide a
 * subject, every pattern does.
 */
import type { MetaPatternIR } from '../../compiler/ir/types.js';
import type { PredicatePlan } from '../../compiler/optimize/plan.js';
import type { DecisionInput } from './input.js';
import type { PathIndex } from './path-index.js';
import { metaEntriesApprove, preparePattern, walkPatterns } from './semantics.js';
import type { PreparedPattern } from './semantics.js';

type MetaPlan = Extract<PredicatePlan, { kind: 'meta' }>;

const NONE: number[] = [];

export function indexedMeta(p: MetaPlan, index: PathIndex): (input: DecisionInput) => boolean {
  const slots = p.literals.map((lit) => (lit === null ? -1 : index.add(lit)));
  let walk: (subject: string) => boolean;
  if (!p.patterns.some((q) => q.inverted)) {
    // Without inverted patterns the walk approves exactly when some pattern matches, in any order.
    const mine = new Set(slots.filter((s) => s >= 0));
    const rest = combinePatterns(p.patterns.filter((_, i) => slots[i]! < 0));
    let all: PreparedPattern[] | null = null;
    walk = (subject) => {
      const hits = index.matches(subject);
      if (hits === null) return walkPatterns((all ??= combinePatterns(p.patterns)), subject);
      for (let i = 0; i < hits.length; i++) if (mine.has(hits[i]!)) return true;
      return walkPatterns(rest, subject);
    };
  } else {
    // The order matters: SPEC §4.1's walk itself, with the literal patterns' answers read from the hits.
    const prepared = p.patterns.map(preparePattern);
    let current = NONE;
    const steps = prepared.map((q, i): PreparedPattern => {
      const slot = slots[i]!;
      return slot < 0 ? q : { inverted: q.inverted, kind: q.kind, regex: { test: () => current.includes(slot) } };
    });
    walk = (subject) => {
      const hits = index.matches(subject);
      if (hits === null) return walkPatterns(prepared, subject);
      current = hits;
      return walkPatterns(steps, subject);
    };
  }
  return (input) => metaEntriesApprove(p, input.authMeta(), walk);
}

/**
 * All patterns of a meta-rule in one RegExp: when none is inverted, the walk approves an entry
 * exactly when some pattern matches, which one alternation decides. Backreferences and named groups
 * would be renumbered or clash in an alternation, so such rules keep the walk.
 */
export function combinePatterns(patterns: MetaPatternIR[]): PreparedPattern[] {
  const flags = patterns[0]?.jsFlags;
  const combinable = patterns.length > 1
    && patterns.every((q) => !q.inverted && q.jsFlags === flags && !/\\[1-9k]|\(\?</.test(q.jsSource));
  if (!combinable) return patterns.map(preparePattern);
  const source = patterns.map((q) => `(?:${q.jsSource})`).join('|');
  return [preparePattern({ kind: 'regex', source, inverted: false, jsSource: source, jsFlags: flags! })];
}
