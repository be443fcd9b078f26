import { patternAfterInverted } from '../../../compiler/checker/rules/pattern-after-inverted.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(patternAfterInverted, {
  valid: [
    yaml('decrypt:', '- - rule: meta-rule', '    paths: [/finance]', '  - rule: meta-rule', "    paths: ['!/finance/board']"),
    // Inverted patterns after normal ones, and after other inverted ones, can still deny.
    yaml('decrypt:', '- - rule: meta-rule', "    paths: [/a, '!/b', '!/c']"),
    // Between two inverted patterns a normal one matters: it approves `hr/report.pdf` before `!hr/` can deny it.
    yaml('decrypt:', '- - rule: meta-rule', "    paths: ['!/finance', report.pdf, '!hr/']"),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths:', "    - '!/finance/board'", '    - /finance'),
      errors: [{
        line: 5, column: 7, endLine: 5, endColumn: 15,
        message: '`/finance` has no effect: the earlier inverted `!/finance/board` (line 4) already approves every path it does not match',
        help: "an inverted pattern denies what it matches and approves everything else; to approve only `/finance` without what `!/finance/board` matches, write two meta-rules in this rule set: `paths: ['/finance']` and `paths: ['!/finance/board']`",
      }],
    },
    {
      // Regexes are tried before paths, so an inverted regex makes every path pattern dead.
      source: yaml('decrypt:', '- - rule: meta-rule', "    regexes: ['!secret']", "    paths: ['*.pdf']"),
      errors: [{
        line: 4, column: 13, endLine: 4, endColumn: 20,
        message: '`*.pdf` has no effect: the earlier inverted `!secret` (line 3) already approves every path it does not match',
        help: "an inverted pattern denies what it matches and approves everything else; to approve only `*.pdf` without what `!secret` matches, write two meta-rules in this rule set: `paths: ['*.pdf']` and `paths: ['!secret']`",
      }],
    },
  ],
});
