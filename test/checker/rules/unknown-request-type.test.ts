import { unknownRequestType } from '../../../compiler/checker/rules/unknown-request-type.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(unknownRequestType, {
  valid: [
    yaml('decrypt:', '- - rule: approve-rule', 'start_session: []', 'change_profile: []'),
    '{"search": [[{"rule": "approve-rule"}]]}',
  ],
  invalid: [
    {
      source: yaml('decrpyt:', '- - rule: approve-rule'),
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 8, message: 'unknown request type `decrpyt`', help: 'did you mean `decrypt`?', data: { replacement: 'decrypt' } }],
    },
    {
      source: yaml('decrypt: []', 'delete: []'),
      errors: [{
        line: 2, column: 1, endLine: 2, endColumn: 7, message: 'unknown request type `delete`',
        help: 'the request types are `decrypt`, `search`, `create_profile`, `create_location`, `rename`, `secure_export`, `start_session`, `change_profile`',
      }],
    },
    {
      source: yaml('start-session: []'),
      errors: [{ line: 1, column: 1, endLine: 1, endColumn: 14, message: 'unknown request type `start-session`', help: 'did you mean `start_session`?', data: { replacement: 'start_session' } }],
    },
  ],
});

// In JSON (or any quoted key) the replacement keeps the quotes, so the quick fix keeps the file valid.
testCheck(unknownRequestType, {
  valid: [],
  invalid: [
    {
      source: '{"serch": []}',
      errors: [{ line: 1, column: 2, endLine: 1, endColumn: 9, message: 'unknown request type `serch`', help: 'did you mean `search`?', data: { replacement: '"search"' } }],
    },
  ],
});
