import { unknownArgument } from '../../../compiler/checker/rules/unknown-argument.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(unknownArgument, {
  valid: [
    yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    rule_id: daily', '    per_day: 5', '    per_hour: 1', '    persistent: true'),
    yaml('decrypt:', '- - rule: unknown-kind', '    whatever: 1'),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_days: 5'),
      errors: [{ line: 3, column: 5, endLine: 3, endColumn: 13, message: 'unknown argument `per_days` for `per-profile-throttle-rule`', help: 'did you mean `per_day`?', data: { replacement: 'per_day' } }],
    },
    {
      source: yaml('decrypt:', '- - rule: approve-rule', '    paths: [/a]'),
      errors: [{ line: 3, column: 5, endLine: 3, endColumn: 10, message: '`approve-rule` takes no arguments, found `paths`', help: '`paths` is an argument of `meta-rule`; write that as a rule of its own in the same rule set', data: { remove: true } }],
    },
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths: [/a]', '    ignore_case: true'),
      errors: [{
        line: 4, column: 5, endLine: 4, endColumn: 16, message: 'unknown argument `ignore_case` for `meta-rule`',
        help: '`meta-rule` takes `paths`, `regexes`, `case_sensitive`, `require_complete` and `rule_id`', data: { remove: true },
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    days: [0]', '    per_hour: 5'),
      errors: [{
        line: 4, column: 5, endLine: 4, endColumn: 13, message: 'unknown argument `per_hour` for `time-range-rule`',
        help: '`per_hour` is an argument of `per-profile-throttle-rule`; write that as a rule of its own in the same rule set', data: { remove: true },
      }],
    },
  ],
});

testCheck(unknownArgument, {
  valid: [],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: reject-rule', '    reason: holidays'),
      errors: [{ line: 3, column: 5, endLine: 3, endColumn: 11, message: '`reject-rule` takes no arguments, found `reason`', help: 'remove it (only `rule_id` is allowed here)', data: { remove: true } }],
    },
  ],
});
