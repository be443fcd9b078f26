import { superLinearPattern } from '../../../compiler/checker/rules/super-linear-pattern.js';
import { testCheck, yaml } from '../rule-tester.js';

const meta = (...lines: string[]) => yaml('decrypt:', '- - rule: meta-rule', ...lines);
const HELP = (construct: string) =>
  `the ${construct} makes kss match this regex by backtracking; rewrite the repetition so that each character can be read one way only, anchor the regex at the start (\`^\`), or do without the ${construct} so that it runs in linear time`;

testCheck(superLinearPattern, {
  valid: [
    // Linear-time automaton: nested quantifiers and globs cost nothing here.
    meta("    regexes: ['(a+)+$', '(x+x+)+y', '\\.pdf$', '(?<![a-z])x', 'x(?=a)']", "    paths: ['*a*a*b']"),
    // Backtracking, but provably linear: anchored, or repetitions that cannot share text.
    meta("    regexes: ['^(\\w+)\\s\\1$', '(\\w)\\1', '\\.pdf(?!\\.bak)', '^(?!.*secret).*\\.pdf$', '^([a-z]+)/\\1$']"),
    // Counts are expanded up to the automaton's limit.
    meta("    regexes: ['a{9000}']"),
  ],
  invalid: [
    {
      source: meta("    regexes: ['(\\w+)\\s+\\1']"),
      errors: [{
        line: 3, column: 17, endLine: 3, endColumn: 20,
        message: 'polynomial backtracking in regex `(\\w+)\\s+\\1`: the pattern is tried from every position of the meta, and this repetition reads over the same text each time',
        help: HELP('back-reference'),
      }],
    },
    {
      source: meta("    regexes: ['(a)(?:x+x+)+\\1']"),
      errors: [{
        line: 3, column: 19, endLine: 3, endColumn: 28,
        message: 'exponential backtracking in regex `(a)(?:x+x+)+\\1`: a repetition inside a repetition can split the same text in exponentially many ways',
        help: HELP('back-reference'),
      }],
    },
    {
      source: meta("    regexes: ['^(\\d+)\\d+-\\1$']"),
      errors: [{
        line: 3, column: 18, endLine: 3, endColumn: 25,
        message: 'polynomial backtracking in regex `^(\\d+)\\d+-\\1$`: two repetitions can read the same text, so backtracking tries every way of sharing it out',
        help: HELP('back-reference'),
      }],
    },
    {
      source: meta("    regexes: ['(?=.*a)b']"),
      errors: [{
        line: 3, column: 16, endLine: 3, endColumn: 23,
        message: 'polynomial backtracking in regex `(?=.*a)b`: a look-around that reads unboundedly far is evaluated at every position of the meta',
        help: HELP('look-around'),
      }],
    },
    {
      source: meta("    regexes: ['a{10001}']", `    paths: ['${'b'.repeat(10001)}']`),
      errors: [
        {
          line: 3, column: 15, endLine: 3, endColumn: 25,
          message: 'regex `a{10001}` is too large to match in linear time (more than 10000 automaton instructions)',
          help: 'write a smaller count (`{n,}` instead of a large `{n,m}`), or split the pattern',
        },
        {
          line: 4, column: 13, endLine: 4, endColumn: 10016,
          message: `path pattern \`${'b'.repeat(10001)}\` is too large to match in linear time (more than 10000 automaton instructions)`,
          help: 'write a smaller count (`{n,}` instead of a large `{n,m}`), or split the pattern',
        },
      ],
    },
  ],
});
