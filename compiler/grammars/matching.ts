/**
 * How a translated pattern will be matched (SPEC §4.1, last paragraph), for the checker: in linear
 * time (the automaton, or irregexp where that is provably as good), or by the step-budgeted
 * backtracker (a back-reference, a look-around wider than one character) with what the static
 * analysis (regex/redos.ts) finds, or not at all (too large for the automaton).
 */
import type { MetaPatternIR } from '../ir/types.js';
import { compileSource, MAX_INSTRUCTIONS, ProgramTooLarge } from './automaton/program.js';
import { pythonRegexTree } from './python-regex.js';
import type { Node } from './regex/ast.js';
import { backtrackingBlowup, type Blowup } from './regex/redos.js';

export type MatchingCost =
  | { kind: 'linear' }
  | { kind: 'too-large' }
  | {
      kind: 'budget';
      needs: 'back-reference' | 'look-around';
      /** The first construct that needs backtracking, as offsets in the pattern as written. */
      start: number;
      end: number;
      blowup: Blowup | null;
    };

/**
 * Path patterns shorter than this need no compiling to know: at most three instructions per
 * character (`*` is a loop of three) and a few for the anchors, well under MAX_INSTRUCTIONS.
 */
const SHORT_PATH = Math.floor(MAX_INSTRUCTIONS / 3) - 50;

export function matchingCost(pattern: MetaPatternIR, caseSensitive: boolean): MatchingCost {
  if (pattern.kind === 'path' && pattern.source.length < SHORT_PATH) return { kind: 'linear' };
  let needs: 'back-reference' | 'look-around' | null;
  try {
    needs = compileSource(pattern.jsSource).needs;
  } catch (e) {
    if (e instanceof ProgramTooLarge) return { kind: 'too-large' };
    throw e;
  }
  if (needs === null) return { kind: 'linear' };
  // Only regexes have back-references or look-arounds.
  const tree = pythonRegexTree(pattern.source, caseSensitive)!;
  const construct = firstOf(tree.root, needs === 'back-reference' ? 'backref' : 'look') ?? tree.root;
  return { kind: 'budget', needs, start: construct.start + tree.base, end: construct.end + tree.base, blowup: backtrackingBlowup(tree) };
}

function firstOf(n: Node, type: 'backref' | 'look'): Node | null {
  if (n.type === type) return n;
  const children = n.type === 'seq' ? n.items : n.type === 'alt' ? n.branches : 'body' in n ? [n.body] : [];
  for (const c of children) {
    const found = firstOf(c, type);
    if (found) return found;
  }
  return null;
}
