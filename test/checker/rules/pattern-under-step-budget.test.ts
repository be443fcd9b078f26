import { patternUnderStepBudget } from '../../../compiler/checker/rules/pattern-under-step-budget.js';
import { testCheck, yaml } from '../rule-tester.js';

const meta = (...lines: string[]) => yaml('decrypt:', '- - rule: meta-rule', ...lines);

testCheck(patternUnderStepBudget, {
  valid: [
    // Matched in linear time: no back-reference, look-arounds of one character.
    meta("    regexes: ['(a+)+$', '\\bfoo\\b', '(?<![a-z])x', 'x(?=a)', '(?m)^a$']", "    paths: ['*a*a*b', '/finance/*']"),
    // Needs backtracking but can blow up: KSS2013 reports it, not this check.
    meta("    regexes: ['(\\w+)\\s+\\1']"),
  ],
  invalid: [
    {
      source: meta("    regexes: ['^(\\w+)-\\1$']"),
      errors: [{
        line: 3, column: 23, endLine: 3, endColumn: 25,
        message: 'regex `^(\\w+)-\\1$` needs backtracking (a back-reference): it runs under a step budget, and a meta that exceeds it does not approve',
        help: 'without the back-reference the regex is matched in linear time',
      }],
    },
    {
      source: meta('    regexes:', "    - '!\\.pdf(?!\\.bak)'"),
      errors: [{
        line: 4, column: 14, endLine: 4, endColumn: 23,
        message: 'regex `!\\.pdf(?!\\.bak)` needs backtracking (a look-around): it runs under a step budget, and a meta that exceeds it does not approve',
        help: 'a look-around of one character (`(?=x)`, `(?<![a-z])`) is matched in linear time; a wider one needs backtracking',
      }],
    },
  ],
});
