/** The grammars of compiler/grammars, memoised per check run (big policies repeat the same times). */
import type { ValueNode } from '../source/ast.js';
import type { FragmentResult } from '../grammars/result.js';
import { parseTimeOfDay } from '../grammars/time.js';
import { parseDate } from '../grammars/date.js';
import { translatePathPattern } from '../grammars/path-pattern.js';
import { translatePythonRegex } from '../grammars/python-regex.js';
import type { MetaPatternIR, TimeOfDayIR } from '../ir/types.js';
import { matchingCost, type MatchingCost } from '../grammars/matching.js';
import type { CheckContext } from './context.js';
import type { RuleNode } from '../source/ast.js';
import { argument } from './context.js';

export function timeOf(ctx: CheckContext, text: string): FragmentResult<TimeOfDayIR> {
  return ctx.cached(`time\u0000${text}`, () => parseTimeOfDay(text));
}

export function dateOf(ctx: CheckContext, text: string): FragmentResult<string> {
  return ctx.cached(`date\u0000${text}`, () => parseDate(text));
}

/** The time-valued arguments of a rule: time-range-rule's window and session-params-rule's end. */
export const TIME_ARGUMENTS: Record<string, readonly string[]> = {
  'time-range-rule': ['time_start', 'time_end'],
  'session-params-rule': ['end_by_time'],
};

/** The time arguments of a rule that are strings (other types are argument-type's business). */
export function timeValues(rule: RuleNode): Array<{ key: string; value: ValueNode; text: string }> {
  const keys = rule.kind ? TIME_ARGUMENTS[rule.kind] : undefined;
  if (!keys) return [];
  const result: Array<{ key: string; value: ValueNode; text: string }> = [];
  for (const key of keys) {
    const arg = argument(rule, key);
    if (arg && typeof arg.value.value === 'string') result.push({ key, value: arg.value, text: arg.value.value });
  }
  return result;
}

/** The string items of a list argument, each with its node. */
export function stringItems(rule: RuleNode, key: string): Array<{ value: ValueNode; text: string }> {
  const items = argument(rule, key)?.value.items;
  const result: Array<{ value: ValueNode; text: string }> = [];
  if (!items) return result;
  for (const item of items) if (typeof item.value === 'string') result.push({ value: item, text: item.value });
  return result;
}

/** A time compared the reference's way: seconds since midnight minus the zone offset, no wrap. */
export function comparableSeconds(time: TimeOfDayIR): number {
  return time.seconds - (time.offsetSeconds ?? 0);
}

/** A meta-rule pattern translated by the grammars, memoised by (kind, text, case sensitivity). */
export function patternOf(ctx: CheckContext, kind: 'path' | 'regex', text: string, caseSensitive: boolean): FragmentResult<MetaPatternIR> {
  return ctx.cached(`${kind}\u0000${caseSensitive ? 1 : 0}\u0000${text}`, () =>
    kind === 'path' ? translatePathPattern(text, caseSensitive) : translatePythonRegex(text, caseSensitive));
}

/** How a valid pattern will be matched (linear, under the step budget, or too large), memoised like patternOf. */
function matchingOf(ctx: CheckContext, kind: 'path' | 'regex', text: string, caseSensitive: boolean): MatchingCost | null {
  const pattern = patternOf(ctx, kind, text, caseSensitive).value;
  if (!pattern) return null;
  return ctx.cached(`matching\u0000${kind}\u0000${caseSensitive ? 1 : 0}\u0000${text}`, () => matchingCost(pattern, caseSensitive));
}

/** Every valid pattern of every meta-rule, regexes first, with how it will be matched. */
export function matchingCosts(ctx: CheckContext): Array<{ kind: 'path' | 'regex'; value: ValueNode; text: string; cost: MatchingCost }> {
  const out: Array<{ kind: 'path' | 'regex'; value: ValueNode; text: string; cost: MatchingCost }> = [];
  for (const { rule } of ctx.rulesOfKind('meta-rule')) {
    const caseSensitive = argument(rule, 'case_sensitive')?.value.value === true;
    for (const kind of ['regex', 'path'] as const) {
      for (const { value, text } of stringItems(rule, kind === 'regex' ? 'regexes' : 'paths')) {
        const cost = matchingOf(ctx, kind, text, caseSensitive);
        if (cost) out.push({ kind, value, text, cost });
      }
    }
  }
  return out;
}
