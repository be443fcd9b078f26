import { shadowedInvertedPattern } from '../../../compiler/checker/rules/shadowed-inverted-pattern.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(shadowedInvertedPattern, {
  valid: [
    yaml('decrypt:', '- - rule: meta-rule', "    paths: ['!/finance/secret', /finance]"),
    // `/tax*` covers `/taxi` only for what starts with `/tax`; `/tax` (no star) does not cover `/taxi`.
    yaml('decrypt:', '- - rule: meta-rule', "    paths: [/tax, '!/taxi']"),
    // Case matters when case_sensitive: `/Finance` does not cover `/finance/x`.
    yaml('decrypt:', '- - rule: meta-rule', "    paths: [/Finance, '!/finance/x']", '    case_sensitive: true'),
    yaml('decrypt:', '- - rule: meta-rule', "    paths: ['*.pdf', '!/reports/x.doc']"),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths:', '    - /finance', "    - '!/finance/secret'"),
      errors: [{
        line: 5, column: 7, endLine: 5, endColumn: 25, message: '`!/finance/secret` never denies anything: the earlier `/finance` (line 4) matches everything it matches and approves first',
        help: 'move `!/finance/secret` before `/finance`; note that an inverted pattern that does not match approves the path (SPEC §4.1), so as written this rule approves paths outside both patterns too', data: { moveBefore: '/finance' },
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: meta-rule', "    paths: ['*.pdf', '!/Finance/Plan.PDF']"),
      errors: [{
        line: 3, column: 22, endLine: 3, endColumn: 42, message: '`!/Finance/Plan.PDF` never denies anything: the earlier `*.pdf` (line 3) matches everything it matches and approves first',
        help: 'move `!/Finance/Plan.PDF` before `*.pdf`; note that an inverted pattern that does not match approves the path (SPEC §4.1), so as written this rule approves paths outside both patterns too', data: { moveBefore: '*.pdf' },
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: meta-rule', "    regexes: ['.*']", "    paths: ['!/hr']"),
      errors: [{
        line: 4, column: 13, endLine: 4, endColumn: 19, message: '`!/hr` never denies anything: the earlier `.*` (line 3) matches everything it matches and approves first',
        help: 'regexes are tried before paths; express the exception as a regex before `.*`, or narrow `.*`; note that an inverted pattern that does not match approves the path (SPEC §4.1), so as written this rule approves paths outside both patterns too', data: { moveBefore: '.*' },
      }],
    },
  ],
});
