import { describe, expect, it } from 'vitest';
import { yaml11Reading } from '../../../compiler/checker/rules/yaml-1-1-reading.js';
import { resolveYaml11 } from '../../../compiler/checker/yaml11.js';
import { testCheck, yaml } from '../rule-tester.js';

testCheck(yaml11Reading, {
  valid: [
    // A leading zero keeps `07:15` a string in YAML 1.1 too; quoted values are strings everywhere.
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 07:15', "    time_end: '17:00'", "    include: ['2022-06-01']"),
    yaml('decrypt:', '- - rule: meta-rule', '    paths: [/a]', '    case_sensitive: true', '- - rule: per-profile-throttle-rule', '    rule_id: t', '    per_day: 10'),
    // `case_sensitive: yes` is argument-type's error (with the same explanation), not reported twice.
    yaml('decrypt:', '- - rule: meta-rule', '    paths: [/a]', '    case_sensitive: yes'),
    // An explicit `!!str` tag makes `9:00` a string to YAML 1.1 readers too: it is not "unquoted".
    yaml('decrypt:', '- - rule: time-range-rule', '    time_start: !!str 9:00', '    time_end: !!str 17:00'),
    // Written as an escape, U+2028 is the same character to both readers.
    yaml('decrypt:', '- - rule: meta-rule', '    paths: ["/a\\u2028b"]'),
  ],
  invalid: [
    {
      // PyYAML folds NEL into a space: the reference's rule matches `/a b`, and its id differs.
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths: ["/a\u0085b"]'),
      errors: [{
        line: 3, column: 16, endLine: 3, endColumn: 17, message: "U+0085 in this value is a line break to YAML 1.1 readers such as the reference's, which read a different value (or cannot read the file)",
        help: 'write it as the escape `\\u0085` inside double quotes, or remove it: PyYAML folds it into a space, which changes the rule id and what the rule matches',
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths: [/a\u2028b, /c]'),
      errors: [{
        line: 3, column: 15, endLine: 3, endColumn: 16, message: "U+2028 in this value is a line break to YAML 1.1 readers such as the reference's, which read a different value (or cannot read the file)",
        help: 'write it as the escape `\\u2028` inside double quotes, or remove it: PyYAML folds it and drops the indentation after it, which changes the rule id and what the rule matches',
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    time_start: 9:00', '    time_end: 17:00'),
      errors: [
        { line: 3, column: 17, endLine: 3, endColumn: 21, message: "unquoted `9:00` is the base-60 number 540 to YAML 1.1 readers such as the reference's", help: "quote it: `'9:00'`", data: { quoted: "'9:00'" } },
        { line: 4, column: 15, endLine: 4, endColumn: 20, message: "unquoted `17:00` is the base-60 number 1020 to YAML 1.1 readers such as the reference's", help: "quote it: `'17:00'`", data: { quoted: "'17:00'" } },
      ],
    },
    {
      source: yaml('decrypt:', '- - rule: time-range-rule', '    exclude: [2022-12-25]'),
      errors: [{ line: 3, column: 15, endLine: 3, endColumn: 25, message: "unquoted `2022-12-25` is a date (not a string) to YAML 1.1 readers such as the reference's", help: "quote it: `'2022-12-25'`", data: { quoted: "'2022-12-25'" } }],
    },
    {
      source: yaml('decrypt:', '- - rule: meta-rule', '    paths: [on, /a]', '- - rule: per-profile-throttle-rule', '    rule_id: t', '    per_day: 010'),
      errors: [
        { line: 3, column: 13, endLine: 3, endColumn: 15, message: "unquoted `on` is the boolean true to YAML 1.1 readers such as the reference's", help: "quote it: `'on'`", data: { quoted: "'on'" } },
        { line: 6, column: 14, endLine: 6, endColumn: 17, message: "unquoted `010` is the octal number 8 to YAML 1.1 readers such as the reference's", help: "quote it: `'010'`", data: { quoted: "'010'" } },
      ],
    },
  ],
});

describe('YAML 1.1 resolution (PyYAML implicit resolvers)', () => {
  it.each([
    ['17:00', { kind: 'int', value: 1020, sexagesimal: true, octal: false }],
    ['9:00', { kind: 'int', value: 540, sexagesimal: true, octal: false }],
    ['1:30:00', { kind: 'int', value: 5400, sexagesimal: true, octal: false }],
    ['07:15', { kind: 'str' }],
    ['00:00', { kind: 'str' }],
    ['17:00+00:00', { kind: 'str' }],
    ['10:30am', { kind: 'str' }],
    ['yes', { kind: 'bool', value: true }],
    ['Off', { kind: 'bool', value: false }],
    ['y', { kind: 'str' }],
    ['2022-06-01', { kind: 'timestamp' }],
    ['0x1F', { kind: 'int', value: 31, sexagesimal: false, octal: false }],
    ['1_000', { kind: 'int', value: 1000, sexagesimal: false, octal: false }],
    ['~', { kind: 'null' }],
    ['1.5', { kind: 'float', value: 1.5 }],
    ['1e3', { kind: 'str' }],
  ])('%s', (text, expected) => {
    expect(resolveYaml11(text)).toEqual(expected);
  });
});
