import { incompatibleRule } from '../../../compiler/checker/rules/incompatible-rule.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(incompatibleRule, {
  valid: [
    yaml('decrypt:', '- - rule: meta-rule', '    paths: [/a]', '  - rule: profile-id-rule', '    profile_ids: [abcd]'),
    yaml('create_profile:', '- - rule: time-range-rule', '    days: [0]'),
    yaml('create_location:', '- - rule: profile-id-rule', '    profile_ids: [abcd]'),
  ],
  invalid: [
    {
      source: yaml('search:', '- - rule: meta-rule', '    paths: [/a]'),
      errors: [{ line: 2, column: 11, endLine: 2, endColumn: 20, message: '`meta-rule` is not allowed in `search`', help: 'these requests carry no file paths to match; remove the rule or move it to another request type' }],
    },
    {
      source: yaml('create_profile:', '- - rule: per-profile-throttle-rule', '    per_day: 1', '  - rule: profile-id-rule', '    profile_ids: [abcd]'),
      errors: [
        { line: 2, column: 11, endLine: 2, endColumn: 36, message: '`per-profile-throttle-rule` is not allowed in `create_profile`', help: 'the profile does not exist yet when it is created; remove the rule or move it to another request type' },
        { line: 4, column: 11, endLine: 4, endColumn: 26, message: '`profile-id-rule` is not allowed in `create_profile`', help: 'the profile does not exist yet when it is created; remove the rule or move it to another request type' },
      ],
    },
    {
      source: yaml('create_location:', '- - {rule: meta-rule, regexes: [x]}'),
      errors: [{ line: 2, column: 12, endLine: 2, endColumn: 21, message: '`meta-rule` is not allowed in `create_location`', help: 'these requests carry no file paths to match; remove the rule or move it to another request type' }],
    },
  ],
});
