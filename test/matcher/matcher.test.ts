/** runtime/evaluator/matcher: which engine runs what, the step budget, and what a rule makes of it. */
import { afterEach, describe, expect, it } from 'vitest';
import { backtracksBoundedly, MAX_BACKTRACKING_STEPS, pathCount } from '../../compiler/grammars/automaton/bounded.js';
import { JsSourceError } from '../../compiler/grammars/automaton/parse.js';
import { compileSource, MAX_INSTRUCTIONS } from '../../compiler/grammars/automaton/program.js';
import { translatePathPattern } from '../../compiler/grammars/path-pattern.js';
import { translatePythonRegex } from '../../compiler/grammars/python-regex.js';
import { BacktrackMatcher, STEP_BUDGET_BASE, STEP_BUDGET_PER_CHARACTER, stepBudget } from '../../runtime/evaluator/matcher/backtrack.js';
import { compileMatcher, engineFor, MatchUndecided, onMatchUndecided } from '../../runtime/evaluator/matcher/index.js';
import { LinearMatcher } from '../../runtime/evaluator/matcher/linear.js';
import { combinePatterns } from '../../runtime/evaluator/meta-program.js';
import { metaApproves, preparePattern } from '../../runtime/evaluator/semantics.js';

const js = (p: string, cs = false) => translatePythonRegex(p, cs).value!.jsSource;
const regex = (p: string) => translatePythonRegex(p, false).value!;
/** Tries 1,600 ways of splitting 16 `c`s at every position: linear in the meta, far over the budget. */
const OVER_BUDGET = '(?=(?:c|cc){0,16}x)';

let unsubscribe: (() => void) | null = null;
afterEach(() => unsubscribe?.());

describe('engines', () => {
  it.each([
    ['\\.pdf$', 'RegExp'], ['^public', 'RegExp'], ['(?:finance|hr)/', 'RegExp'], ['[0-9]{4}', 'RegExp'], ['\\bfoo\\b', 'RegExp'],
    ['(a+)+$', 'LinearMatcher'], ['hr/.*\\.csv$', 'LinearMatcher'], ['(?:a|b){0,12}c', 'LinearMatcher'], ['(\\w)\\1', 'BacktrackMatcher'], ['a(?!bc)', 'BacktrackMatcher'],
  ])('%s runs on %s', (p, engine) => {
    expect(engineFor(compileSource(js(p)), new RegExp(js(p), 'u')).constructor.name).toBe(engine);
  });

  it('irregexp only where the program has no loop and paths × instructions is at most MAX_BACKTRACKING_STEPS', () => {
    const small = compileSource(js('(?:a|b){2}c', true));
    expect(pathCount(small)).toBe(4);
    expect(pathCount(small) * small.op.length).toBeLessThanOrEqual(MAX_BACKTRACKING_STEPS);
    expect(backtracksBoundedly(small)).toBe(true);
    const wide = compileSource(js('(?:a|b){4}c', true));
    expect(pathCount(wide) * wide.op.length).toBeGreaterThan(MAX_BACKTRACKING_STEPS);
    expect(backtracksBoundedly(wide)).toBe(false);
    expect(pathCount(compileSource(js('(?:a|b){8}c')))).toBe(Infinity); // 256 paths: over the limit
    expect(pathCount(compileSource(js('a*')))).toBe(Infinity);
    expect(backtracksBoundedly(compileSource(js('a{1,100}b')))).toBe(false);
    expect(backtracksBoundedly(compileSource(translatePathPattern('*.pdf', false).value!.jsSource))).toBe(true);
    expect(backtracksBoundedly(compileSource(translatePathPattern('*a*a*b', false).value!.jsSource))).toBe(false);
  });

  it('the automaton decides the worst patterns of issue 10 like the RegExp, on metas the RegExp could not finish', () => {
    const evil = `/evil/${'a'.repeat(4090)}!`;
    expect(new LinearMatcher(compileSource(js('(a+)+$'))).test(evil)).toBe(false);
    expect(new LinearMatcher(compileSource(js('(a+)+$'))).test(evil.slice(0, -1))).toBe(true);
    const glob = new LinearMatcher(compileSource(translatePathPattern('*a*a*b', false).value!.jsSource));
    expect(glob.test(`/${'a'.repeat(4095)}`)).toBe(false);
    expect(glob.test(`/${'a'.repeat(4094)}b`)).toBe(true);
    expect(glob.test(`/${'a'.repeat(4000)}/ab`)).toBe(false);
  });

  it('keeps deciding alike when its cache of states fills up and starts again', () => {
    // `(?:a|b)*a(?:a|b){12}` needs 8192 DFA states for metas over {a, b}: more than MAX_STATES.
    const source = js('(?:a|b)*a(?:a|b){12}$', true);
    const rx = new RegExp(source, 'u');
    const m = new LinearMatcher(compileSource(source));
    let seed = 7;
    for (let k = 0; k < 40; k++) {
      let s = '';
      for (let i = 0; i < 600; i++) s += ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 1 ? 'a' : 'b';
      expect(m.test(s)).toBe(rx.test(s));
    }
    expect(m.resets).toBeGreaterThan(0);
  });
});

describe('the step budget', () => {
  it('a backtracking match that exceeds it is undecided, and says so to the listeners without the meta', () => {
    const seen: MatchUndecided[] = [];
    unsubscribe = onMatchUndecided((e) => seen.push(e));
    const m = compileMatcher(js(OVER_BUDGET), 'u', OVER_BUDGET);
    expect(m.test('ccx')).toBe(true);
    expect(() => m.test('c'.repeat(300))).toThrow(MatchUndecided);
    expect(seen).toEqual([]); // compileMatcher throws; the meta-rule reports (below)
    const prepared = [preparePattern(regex(OVER_BUDGET))];
    expect(metaApproves({ caseSensitive: false, requireComplete: false }, prepared, [{ meta: 'c'.repeat(300), complete: false }])).toBe(false);
    expect(seen.map((e) => [e.reason, e.pattern, e.subjectLength])).toEqual([['step-budget', OVER_BUDGET, 300]]);
    expect(seen[0]!.message).not.toContain('ccc');
  });

  it('stops the backtracker after exactly its budget of steps', () => {
    const prog = compileSource(js('^(\\w+)-\\1$'));
    const counting = new BacktrackMatcher(prog, 1_000_000);
    expect(counting.test('abc-abc')).toBe(true);
    const steps = counting.lastSteps;
    expect(new BacktrackMatcher(prog, steps).test('abc-abc')).toBe(true);
    expect(() => new BacktrackMatcher(prog, steps - 1).test('abc-abc')).toThrow(`more than ${steps - 1} steps`);
  });

  it('by default allows STEP_BUDGET_BASE plus STEP_BUDGET_PER_CHARACTER steps per character of the meta', () => {
    expect(stepBudget(4096)).toBe(STEP_BUDGET_BASE + 4096 * STEP_BUDGET_PER_CHARACTER);
    const prog = compileSource(js(OVER_BUDGET));
    const outcomes: boolean[] = [];
    for (const n of [3, 10, 300, 4096]) {
      const meta = 'c'.repeat(n);
      const counting = new BacktrackMatcher(prog, 4 * stepBudget(n));
      let steps: number;
      try {
        counting.test(meta);
        steps = counting.lastSteps;
      } catch {
        steps = Infinity; // more than four budgets
      }
      const run = () => new BacktrackMatcher(prog).test(meta);
      outcomes.push(steps <= stepBudget(n));
      if (steps <= stepBudget(n)) expect(run()).toBe(false);
      else expect(run).toThrow(`more than ${stepBudget(n)} steps`);
    }
    expect(outcomes).toEqual([true, true, false, false]);
    // A linear backtracking pattern stays within it on the longest meta.
    expect(new BacktrackMatcher(compileSource(js('^(\\w+)-\\1$'))).test(`${'a'.repeat(4094)}-b`)).toBe(false);
  });

  it('an undecided inverted pattern does not mark the entry approved: the rule cannot decide', () => {
    // `!x` alone approves every meta without `x`; undecided, it must not.
    const prepared = [preparePattern(regex(`!${OVER_BUDGET}`))];
    const rule = { caseSensitive: false, requireComplete: false };
    expect(metaApproves(rule, prepared, [{ meta: 'abc', complete: false }])).toBe(true);
    expect(metaApproves(rule, prepared, [{ meta: 'c'.repeat(300), complete: false }])).toBe(false);
  });
});

describe('preparing patterns', () => {
  it('a broken translated source fails when the program loads, not in a decision', () => {
    expect(() => compileMatcher('((', 'u', 'x')).toThrow(SyntaxError);
    expect(() => compileMatcher('a', 'ui', 'x')).toThrow(JsSourceError);
  });

  it('JavaScript the translators never write (a hand-made artifact) is undecided, never guessed at', () => {
    expect(() => compileMatcher('\\d+', 'u', 'x').test('12')).toThrow(expect.objectContaining({ reason: 'unreadable' }));
  });

  it('a pattern too large for the automaton is undecided; alternatives too large together are tried one by one', () => {
    const big = regex(`a{${MAX_INSTRUCTIONS}}`);
    expect(() => compileMatcher(big.jsSource, 'u', big.source).test('a')).toThrow(MatchUndecided);
    const many = Array.from({ length: 3 }, (_, i) => regex(`${'bcd'[i]}{${MAX_INSTRUCTIONS / 2}}|${'xyz'[i]}`));
    const [combined] = combinePatterns(many);
    expect(combined!.regex.test('y')).toBe(true);
    expect(combined!.regex.test('w')).toBe(false);
  });
});
