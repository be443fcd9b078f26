import { invalidProfileId } from '../../../compiler/checker/rules/invalid-profile-id.js';
import { testCheck, yaml } from '../rule-tester.js';

const words = "write the profile id in hex, or at least the first 4 of the profile's words separated by spaces";

testCheck(invalidProfileId, {
  valid: [yaml('decrypt:', '- - rule: profile-id-rule', '    profile_ids:', '    - 00112233445566778899AABBCCDDEEFF', '    - correct horse battery staple', '    - a b c d e f')],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: profile-id-rule', '    profile_ids: [correct horse battery]'),
      errors: [{ line: 3, column: 19, endLine: 3, endColumn: 40, message: '`correct horse battery` has 3 profile words; at least 4 are required', help: words }],
    },
    {
      source: yaml('decrypt:', '- - rule: profile-id-rule', '    profile_ids: [0011zz]'),
      errors: [{ line: 3, column: 19, endLine: 3, endColumn: 25, message: '`0011zz` is neither a hex profile id nor a list of at least 4 profile words', help: 'a hex id contains only 0-9 and a-f; check for a typing mistake' }],
    },
    {
      source: yaml('decrypt:', '- - rule: profile-id-rule', '    profile_ids: [abc]'),
      errors: [{ line: 3, column: 19, endLine: 3, endColumn: 22, message: '`abc` has an odd number of hex digits (3)', help: 'a hex profile id is whole bytes, two digits each; check for a missing or extra digit' }],
    },
    {
      source: yaml('decrypt:', '- - rule: profile-id-rule', "    profile_ids: ['bob@example.com']"),
      errors: [{ line: 3, column: 19, endLine: 3, endColumn: 36, message: '`bob@example.com` is neither a hex profile id nor a list of at least 4 profile words', help: words }],
    },
  ],
});
