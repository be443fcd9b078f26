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
  ],
  invalid: [
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
