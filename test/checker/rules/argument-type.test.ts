import { argumentType } from '../../../compiler/checker/rules/argument-type.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(argumentType, {
  valid: [
    yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    rule_id: daily', '    per_day: 5', '    persistent: true'),
    yaml('decrypt:', '- - rule: time-range-rule', '    days: [0, 6]', "    include: ['2022-06-01']"),
    yaml('start_session:', '- - rule: session-params-rule', '    max_time_seconds: 604799', '    max_request_count: 0'),
    // Whole-number ids read the same in Python and JavaScript (`42`); existing policies may use them.
    yaml('decrypt:', '- - rule: approve-rule', '    rule_id: 42'),
    // Only what SPEC calls an error is one: an empty rule_id (the rule gets its text's id), repeated
    // weekdays, an empty profile list (a lint says it never approves); an empty regex is invalid-regex's.
    yaml('decrypt:', '- - rule: approve-rule', '    rule_id:', '- - rule: time-range-rule', '    days: [1, 1]', '- - rule: profile-id-rule', '    profile_ids: []', '- - rule: meta-rule', "    regexes: ['']"),
    // SPEC 4.4: -1 is unlimited as in the reference, 0 never approves (a lint), and the reference's
    // storage arguments are accepted (another lint says kss ignores them).
    yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_hour: -1', '    per_day: 0', '    expiry_secs: 0.5', "    db-file: '/var/lib/kss/throttle.db'", "    db-uri: 'mysql://db/kss'", '    db-table: throttle'),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_day: -2'),
      errors: [{ line: 3, column: 14, endLine: 3, endColumn: 16, message: '`per_day` must be a number of uses (0 or more) or -1 for unlimited, not an integer (`-2`)' }],
    },
    // `.inf` passes a JSON Schema `integer` (ajv tests `!(x % 1)`), and compiling refused it: one front end decides.
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_hour: .inf', '    per_day: 1e400'),
      errors: [
        { line: 3, column: 15, endLine: 3, endColumn: 19, message: '`per_hour` must be a finite number, not a number (`.inf`)' },
        { line: 4, column: 14, endLine: 4, endColumn: 19, message: '`per_day` must be a finite number, not a number (`1e400`)' },
      ],
    },
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    expiry_secs: 0', '    db-file: 5'),
      errors: [
        { line: 3, column: 18, endLine: 3, endColumn: 19, message: '`expiry_secs` must be more than 0, not an integer (`0`)' },
        { line: 4, column: 14, endLine: 4, endColumn: 15, message: '`db-file` must be a string, not an integer (`5`)', help: "quote it: `'5'`", data: { quoted: "'5'" } },
      ],
    },
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_hour: "5"'),
      errors: [{ line: 3, column: 15, endLine: 3, endColumn: 18, message: '`per_hour` must be an integer, not a string (`"5"`)', help: 'write the number without quotes: `5`', data: { replacement: '5' } }],
    },
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    days: [0, 7]'),
      errors: [{ line: 3, column: 15, endLine: 3, endColumn: 16, message: 'each item of `days` must be at most 6, not an integer (`7`)', help: 'weekdays are numbered Monday = 0 .. Sunday = 6' }],
    },
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths: [/a]', '    case_sensitive: yes'),
      errors: [{
        line: 4, column: 21, endLine: 4, endColumn: 24, message: '`case_sensitive` must be a boolean, not a string (`"yes"`)',
        help: '`yes` is a string in YAML 1.2 (YAML 1.1 readers such as the reference\'s take it as true); write `true`', data: { replacement: 'true' },
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: profile-id-rule', '    profile_ids: [12345678901234567890123456789012]'),
      errors: [{
        line: 3, column: 19, endLine: 3, endColumn: 51, message: 'each item of `profile_ids` must be a string, not an integer (`12345678901234567890123456789012`)',
        help: "quote it: `'12345678901234567890123456789012'`", data: { quoted: "'12345678901234567890123456789012'" },
      }],
    },
    {
      source: yaml('start_session:', '- - rule: session-params-rule', '    max_time_seconds: 604800'),
      errors: [{ line: 3, column: 23, endLine: 3, endColumn: 29, message: '`max_time_seconds` must be less than 604800, not an integer (`604800`)' }],
    },
    {
      source: yaml('decrypt:', '- - rule: approve-rule', '    rule_id: [a]'),
      errors: [{ line: 3, column: 14, endLine: 3, endColumn: 17, message: '`rule_id` must be a string, an integer or empty, not a list' }],
    },
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths: /finance'),
      errors: [{ line: 3, column: 12, endLine: 3, endColumn: 20, message: '`paths` must be a list, not a string (`"/finance"`)', help: 'write a list, e.g. `[/finance]`', data: { replacement: '[/finance]' } }],
    },
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_day:'),
      errors: [{ line: 3, column: 5, endLine: 3, endColumn: 12, message: '`per_day` must be an integer, not empty', help: 'give it a value, or remove the line to use the default' }],
    },
  ],
});

// In a JSON policy the quick fix quotes with double quotes, so the file stays JSON.
testCheck(argumentType, {
  valid: [],
  invalid: [
    {
      source: '{"decrypt": [[{"rule": "profile-id-rule", "profile_ids": [1234]}]]}',
      errors: [{ line: 1, column: 59, endLine: 1, endColumn: 63, message: 'each item of `profile_ids` must be a string, not an integer (`1234`)', help: 'quote it: `"1234"`', data: { quoted: '"1234"' } }],
    },
  ],
});
