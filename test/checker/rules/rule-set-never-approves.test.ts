import { ruleSetNeverApproves } from '../../../compiler/checker/rules/rule-set-never-approves.js';
import { testCheck, yaml } from '../rule-tester.js';

const help = (t: string) => `remove the rule set, or fix the rule that cannot approve; to deny every \`${t}\` request write \`${t}: []\``;

testCheck(ruleSetNeverApproves, {
  valid: [
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am', '    time_end: 10:00am', '  - rule: time-range-rule', '    time_start: 9:00am', '    time_end: 5:00pm'),
    yaml('decrypt:', '- - rule: time-range-rule', '    days: []', "    include: ['2022-12-24']"),
    yaml('decrypt:', '- - rule: time-range-rule', '    days: [0, 1]', '  - rule: time-range-rule', '    days: [1, 2]'),
    // Zoned and unzoned windows cannot be compared without the server's zone.
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 01:00Z', '    time_end: 02:00Z', '  - rule: time-range-rule', '    time_start: 8:00am', '    time_end: 9:00am'),
  ],
  invalid: [
    {
      // SPEC 4.4: 0 uses never approve (the reference approves while the count is below the limit); -1 is unlimited.
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    rule_id: t', '    per_hour: -1', '    per_day: 0'),
      errors: [{
        line: 5, column: 14, endLine: 5, endColumn: 15, message: 'rule set 0 of `decrypt` can never approve: `per_day` is 0, so its `per-profile-throttle-rule` never approves',
        help: help('decrypt'), data: { requestType: 'decrypt', ruleSet: 0 },
      }],
    },
    {
      source: yaml('create_profile:', '- - rule: reject-rule'),
      errors: [{ line: 2, column: 11, endLine: 2, endColumn: 22, message: 'rule set 0 of `create_profile` can never approve: it contains `reject-rule`, which never approves', help: help('create_profile'), data: { requestType: 'create_profile', ruleSet: 0 } }],
    },
    {
      source: yaml('decrypt:', '- - rule: approve-rule', '- - rule: time-range-rule', '    days: []'),
      errors: [{
        line: 4, column: 11, endLine: 4, endColumn: 13, message: 'rule set 1 of `decrypt` can never approve: `days` is empty and no date is included, so its `time-range-rule` never approves',
        help: help('decrypt'), data: { requestType: 'decrypt', ruleSet: 1 },
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 8:00am', '    time_end: 10:00am', '  - rule: time-range-rule', '    time_start: 2:00pm', '    time_end: 4:00pm'),
      errors: [{ line: 5, column: 11, endLine: 5, endColumn: 26, message: 'rule set 0 of `decrypt` can never approve: its time windows (lines 2 and 5) do not overlap', help: help('decrypt'), data: { requestType: 'decrypt', ruleSet: 0 } }],
    },
    {
      source: yaml('decrypt:', '- - rule: profile-id-rule', '    profile_ids: []'),
      errors: [{
        line: 3, column: 18, endLine: 3, endColumn: 20, message: 'rule set 0 of `decrypt` can never approve: `profile_ids` is empty, so its `profile-id-rule` never approves',
        help: help('decrypt'), data: { requestType: 'decrypt', ruleSet: 0 },
      }],
    },
    {
      source: yaml('rename:', '- - rule: time-range-rule', '    days: [0, 1]', '  - rule: time-range-rule', '    days: [5, 6]'),
      errors: [{ line: 4, column: 11, endLine: 4, endColumn: 26, message: 'rule set 0 of `rename` can never approve: its `time-range-rule`s (lines 2 and 4) share no weekday', help: help('rename'), data: { requestType: 'rename', ruleSet: 0 } }],
    },
  ],
});
