import { describe, expect, it } from 'vitest';
import { invalidRuleId } from '../../../compiler/checker/rules/invalid-rule-id.js';
import { MAX_RULE_ID_LENGTH } from '../../../compiler/checker/rules/invalid-rule-id.js';
import { testCheck, yaml } from '../rule-tester.js';

const long = 'x'.repeat(MAX_RULE_ID_LENGTH + 1);

testCheck(invalidRuleId, {
  valid: [
    yaml('decrypt:', '- - rule: per-profile-throttle-rule', "    rule_id: 'decrypt-daily.v2'", '    per_day: 5'),
    // A numeric id is kept as a number on other rules (as the reference keeps it); 0 is no id at all.
    yaml('decrypt:', '- - rule: approve-rule', '    rule_id: 42', '- - rule: per-profile-throttle-rule', '    rule_id: 0', '    per_day: 5'),
    yaml('decrypt:', '- - rule: approve-rule', `    rule_id: ${'é'.repeat(MAX_RULE_ID_LENGTH)}`),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    rule_id: 2024', '    per_day: 5'),
      errors: [{
        line: 3, column: 14, endLine: 3, endColumn: 18, message: 'the `rule_id` of a `per-profile-throttle-rule` must be text, not the number `2024`',
        help: "the reference cannot store counts under a numeric id, so this rule set never approves there; quote it: `'2024'`", data: { quoted: "'2024'" },
      }],
    },
    {
      source: yaml('decrypt:', '- - rule: approve-rule', `    rule_id: ${long}`),
      errors: [{ line: 3, column: 14, endLine: 3, endColumn: 14 + long.length, message: '`rule_id` is 201 characters long; at most 200 are allowed', help: 'quota listings, logs and signed answers carry the id; choose a shorter one' }],
    },
    {
      source: yaml('decrypt:', '- - rule: approve-rule', "    rule_id: 'a,b'"),
      errors: [{ line: 3, column: 16, endLine: 3, endColumn: 17, message: '`rule_id` `a,b` contains `,`', help: 'signed answers join rule ids with `,`, so this id would read as two; use `-` or `_` instead' }],
    },
    {
      source: yaml('decrypt:', '- - rule: approve-rule', '    rule_id: "tab\\there"'),
      errors: [{ line: 3, column: 14, endLine: 3, endColumn: 25, message: '`rule_id` contains the control character U+0009', help: 'write the id with visible characters only, e.g. letters, digits, `-`, `_` and `.`' }],
    },
  ],
});

describe('invalid-rule-id and control characters', () => {
  it('knows C1 controls (U+0085 is one) and DEL', async () => {
    const { checkDiagnostics } = await import('../rule-tester.js');
    for (const char of ['\\u0085', '\\u007f', '\\u0000']) {
      const messages = checkDiagnostics(invalidRuleId, yaml('decrypt:', '- - rule: approve-rule', `    rule_id: "a${char}b"`)).map((d) => d.message);
      expect(messages).toEqual([`\`rule_id\` contains the control character U+${char.slice(2).toUpperCase()}`]);
    }
  });
});
