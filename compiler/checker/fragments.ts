/** How the checks learn the way each valid meta-rule pattern will be matched (from compiler/grammars/matching.ts). */
import type { ValueNode } from '../source/ast.js';
import { matchingCost, type MatchingCost } from '../grammars/matching.js';
import { readBoolean, readStrings } from '../arguments/read.js';
import type { CheckContext } from './context.js';

/** How a valid pattern will be matched (linear, under the step budget, or too large), memoised per analysis. */
function matchingOf(ctx: CheckContext, kind: 'path' | 'regex', text: string, caseSensitive: boolean): MatchingCost | null {
  const pattern = ctx.fragments.pattern(kind, text, caseSensitive).value;
  if (!pattern) return null;
  return ctx.cached(`matching\u0000${kind}\u0000${caseSensitive ? 1 : 0}\u0000${text}`, () => matchingCost(pattern, caseSensitive));
}

/** Every valid pattern of every meta-rule, regexes first, with how it will be matched. */
export function matchingCosts(ctx: CheckContext): Array<{ kind: 'path' | 'regex'; value: ValueNode; text: string; cost: MatchingCost }> {
  const out: Array<{ kind: 'path' | 'regex'; value: ValueNode; text: string; cost: MatchingCost }> = [];
  for (const { rule } of ctx.rulesOfKind('meta-rule')) {
    const caseSensitive = readBoolean(rule, 'case_sensitive');
    for (const kind of ['regex', 'path'] as const) {
      for (const { value, text } of readStrings(rule, kind === 'regex' ? 'regexes' : 'paths')) {
        const cost = matchingOf(ctx, kind, text, caseSensitive);
        if (cost) out.push({ kind, value, text, cost });
      }
    }
  }
  return out;
}
