/**
 * The static check for backtracking patterns (compiler/grammars/regex/redos.ts) against what the
 * backtracker really does: every pattern it reports takes super-linear steps on an attack meta,
 * every pattern it passes stays within a linear number of steps on the same kinds of metas.
 */
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/grammars/automaton/program.js';
import { pythonRegexTree, translatePythonRegex } from '../../compiler/grammars/python-regex.js';
import { backtrackingBlowup } from '../../compiler/grammars/regex/redos.js';
import { BacktrackMatcher, BudgetExceeded } from '../../runtime/evaluator/matcher/backtrack.js';

const N = 1500;
/** Metas an attacker would try: long runs of what the pattern repeats, then a character that fails. */
const ATTACKS = [
  ...['a', 'x', '1', 'ab', 'a ', 'xa'].flatMap((unit) => [unit.repeat(N / unit.length) + '!', unit.repeat(N / unit.length)]),
  `x${'a'.repeat(N)}!`,
];

/** Whether backtracking over `pattern` stays within `perChar` steps per character on every attack. */
function linearOnAttacks(pattern: string, perChar: number): boolean {
  const prog = compileSource(translatePythonRegex(pattern, true).value!.jsSource);
  return ATTACKS.every((s) => {
    try {
      new BacktrackMatcher(prog, perChar * (s.length + 1)).test(s);
      return true;
    } catch (e) {
      if (e instanceof BudgetExceeded) return false;
      throw e;
    }
  });
}

const verdict = (pattern: string) => {
  const b = backtrackingBlowup(pythonRegexTree(pattern, true)!);
  return b && { kind: b.kind, reason: b.reason, at: pattern.slice(b.start, b.end) };
};

const SAFE = [
  '(\\w)\\1', '^(\\w+)\\s\\1$', '^(\\w+)-\\1$', '\\.pdf(?!\\.bak)', '^(?!.*secret).*\\.pdf$', '^([a-z]+)/\\1$', '(?<=a)b', 'foo(?=bar)',
  '\\.(?=\\w)', '^(\\d{4})-\\1$', '^a*ba*(?=x)', '(?i)^(\\w+)=\\1$', '\\bfoo(?=\\.)', 'x(?=a{2,4})', '^(?:ab|cd)+(?=e)',
];
const VULNERABLE: Array<[string, { kind: string; reason: string; at: string }]> = [
  ['(x)(?:a+)+\\1', { kind: 'exponential', reason: 'nested', at: '(?:a+)+' }],
  ['(?:a|a)*(?=b)', { kind: 'exponential', reason: 'nested', at: '(?:a|a)*' }],
  ['^(?:x+x+)+(?=y)', { kind: 'exponential', reason: 'nested', at: '(?:x+x+)+' }],
  ['(\\w+)\\s+\\1', { kind: 'polynomial', reason: 'search', at: '\\w+' }],
  ['([a-z]+)/\\1', { kind: 'polynomial', reason: 'search', at: '[a-z]+' }],
  ['^(a+)a+\\1!', { kind: 'polynomial', reason: 'overlap', at: 'a+)a+' }],
  ['^\\w+\\d+(?=!)', { kind: 'polynomial', reason: 'overlap', at: '\\w+\\d+' }],
  ['(?=.*a)b', { kind: 'polynomial', reason: 'look-around', at: '(?=.*a)' }],
  ['a*(?=b)', { kind: 'polynomial', reason: 'search', at: 'a*' }],
];

describe('backtracking blow-up analysis', () => {
  it.each(SAFE)('passes %s, which backtracks linearly on attack metas', (pattern) => {
    expect(verdict(pattern)).toBeNull();
    expect(linearOnAttacks(pattern, 40)).toBe(true);
  });

  it.each(VULNERABLE)('reports %s, which backtracks super-linearly on some attack meta', (pattern, expected) => {
    expect(verdict(pattern)).toEqual(expected);
    expect(linearOnAttacks(pattern, 40)).toBe(false);
  });

  it('reports a pattern too big to analyse rather than guess', () => {
    const big = `(a)${'(?:b|c)'.repeat(210)}\\1`;
    expect(verdict(big)?.reason).toBe('complex');
  });
});
