/**
 * Meta-rules in the fast engine. Where a decision may look at many literal path patterns, a rule reads
 * its request type's path index (path-index.ts): one pass per subject decides them for every such
 * rule of the type, and the answer is remembered, so a pattern that many rule sets share is decided
 * once per decision. Where it looks at a few, testing them one by one (literal-match.ts) is cheaper
 * than the pass (the per-profile benchmark: 3 paths per rule set). The other patterns (regexes, paths
 * with `*` inside) keep their matchers (matcher/); when the index cannot decide a subject, every pattern does.
 */
import type { MetaPatternIR } from '../../compiler/ir/types.js';
import type { LiteralPath } from '../../compiler/optimize/literal-path.js';
import type { PredicatePlan, TypePlan } from '../../compiler/optimize/plan.js';
import type { DecisionInput } from './input.js';
import { literalApplies, literalMatches } from './literal-match.js';
import { PathIndex } from './path-index.js';
import { metaApproves, metaEntriesApprove, prepareAlternation, preparePattern, walkPatterns } from './semantics.js';
import type { PreparedPattern } from './semantics.js';

type MetaPlan = Extract<PredicatePlan, { kind: 'meta' }>;
type Predicate = (input: DecisionInput) => boolean;

/** 'auto': the index where a decision may look at INDEX_FROM literal paths or more; 'always': for tests. */
export type PathIndexMode = 'auto' | 'always';
export const INDEX_FROM = 8;

const NONE: number[] = [];

/** A meta-rule on its own: literal paths by string tests where exact, the rest by their matchers. */
export function directMeta(p: MetaPlan): Predicate {
  const patterns = p.literals.some((l) => l !== null) ? p.patterns.map((q, i) => withLiteral(q, p.literals[i] ?? null)) : combinePatterns(p.patterns);
  return (input) => metaApproves(p, patterns, input.authMeta());
}

/**
 * The meta-rules of a request type that read its path index, by predicate id. A rule qualifies with
 * INDEX_FROM literal paths of its own, or in an unguarded rule set when the unguarded rule sets hold
 * that many together (every decision of the type may walk them all).
 */
export function indexedMetas(t: TypePlan, plans: PredicatePlan[], mode: PathIndexMode): Map<number, Predicate> {
  const literals = (id: number) => { const p = plans[id]!; return p.kind === 'meta' ? p.literals.filter((l) => l !== null).length : 0; };
  const openIds = new Set(t.open.flatMap((pos) => t.ruleSets[pos]!.predicates));
  const openLiterals = [...openIds].reduce((n, id) => n + literals(id), 0);
  // One index per case-sensitivity (the subjects differ), holding the literal paths of this type only.
  const index = { cs: new PathIndex(true), ci: new PathIndex(false) };
  const out = new Map<number, Predicate>();
  for (const id of new Set(t.ruleSets.flatMap((s) => s.predicates))) {
    const p = plans[id]!;
    const n = literals(id);
    if (p.kind !== 'meta' || n === 0) continue;
    if (mode === 'always' || n >= INDEX_FROM || (openIds.has(id) && openLiterals >= INDEX_FROM)) out.set(id, indexedMeta(p, p.caseSensitive ? index.cs : index.ci));
  }
  return out;
}

export function indexedMeta(p: MetaPlan, index: PathIndex): Predicate {
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
  return (input) => {
    const metas = input.authMeta();
    return metas !== null && metaEntriesApprove(p, metas, walk, input.metaSubjects(p.caseSensitive)!);
  };
}

/**
 * All patterns of a meta-rule in one automaton: when none is inverted, the walk approves an entry
 * exactly when some pattern matches, which one alternation decides in one pass over the subject.
 * Back-references would be renumbered in an alternation, so such rules keep the walk.
 */
export function combinePatterns(patterns: MetaPatternIR[]): PreparedPattern[] {
  const flags = patterns[0]?.jsFlags;
  const combinable = patterns.length > 1
    && patterns.every((q) => !q.inverted && q.jsFlags === flags && !/\\[1-9]/.test(q.jsSource));
  if (!combinable) return patterns.map(preparePattern);
  const source = patterns.map((q) => `(?:${q.jsSource})`).join('|');
  const written = patterns.map((q) => q.source).join(' | ');
  const parts = () => patterns.map((q) => preparePattern(q).regex);
  return [prepareAlternation({ kind: 'regex', source: written, inverted: false, jsSource: source, jsFlags: flags! }, parts)];
}

/** A path pattern decided by a string test where that is exact, by its matcher elsewhere. */
function withLiteral(pattern: MetaPatternIR, lit: LiteralPath | null): PreparedPattern {
  const prepared = preparePattern(pattern);
  if (lit === null) return prepared;
  const regex = prepared.regex;
  return {
    inverted: pattern.inverted,
    kind: pattern.kind,
    regex: {
      test(subject: string): boolean {
        return literalApplies(lit, subject) ? literalMatches(lit, subject) : regex.test(subject);
      },
    },
  };
}
