import { missingArgument } from '../../../compiler/checker/rules/missing-argument.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(missingArgument, {
  valid: [
    yaml('decrypt:', '- - rule: profile-id-rule', '    profile_ids: [aabb]'),
    // An empty list is written: rule-set-never-approves says that it never approves.
    yaml('decrypt:', '- - rule: profile-id-rule', '    profile_ids: []', '- - rule: time-range-rule', '- - rule: approve-rule'),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: profile-id-rule'),
      errors: [{ line: 2, column: 11, endLine: 2, endColumn: 26, message: '`profile-id-rule` needs `profile_ids`', help: 'add `profile_ids`; the reference cannot load the rule without it', data: { insertKey: 'profile_ids' } }],
    },
  ],
});
