import { hasExplicitRuleId } from '../../ir/rule-ids.js';
import type { Check } from '../registry.js';

/** SPEC §5: signed answers join rule ids with `,`, and ids are stored and logged. */
export const MAX_RULE_ID_LENGTH = 200;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

export const invalidRuleId: Check = {
  id: 'invalid-rule-id',
  code: 'KSS2016',
  meta: {
    description: 'an explicit `rule_id` cannot be used',
    defaultSeverity: 'error',
    messages: {
      tooLong: '`rule_id` is {length} characters long; at most {max} are allowed',
      control: '`rule_id` contains the control character U+{hex}',
      comma: '`rule_id` `{id}` contains `,`',
      numericThrottle: 'the `rule_id` of a `per-profile-throttle-rule` must be text, not the number `{id}`',
    },
    docs: {
      summary: 'A rule id is at most 200 characters, without control characters or `,` (SPEC §5): ids are joined with `,` in signed answers, where `a,b` would read as two rules, and they appear in logs and quota listings. On a `per-profile-throttle-rule` the id must be text: the reference cannot store counts under a number and never approves that rule set (elsewhere a numeric id is kept as a number).',
      example: '- - rule: per-profile-throttle-rule\n    rule_id: 2024        # quote it: \'2024\'\n    per_day: 5',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rules()) {
      const node = rule.ruleId?.value;
      if (!node || !hasExplicitRuleId(rule)) continue;
      const id = node.value;
      if (typeof id === 'number' && rule.kind === 'per-profile-throttle-rule') {
        const quoted = ctx.quote(node.sourceText ?? String(id));
        ctx.report({ node, messageId: 'numericThrottle', values: { id: node.sourceText ?? String(id) }, help: `the reference cannot store counts under a numeric id, so this rule set never approves there; quote it: \`${quoted}\``, data: { quoted } });
        continue;
      }
      if (typeof id !== 'string') continue; // numbers elsewhere are fine; other types are argument-type's
      // Characters, not UTF-16 units; only long ids are worth counting.
      const length = id.length > MAX_RULE_ID_LENGTH ? [...id].length : id.length;
      if (length > MAX_RULE_ID_LENGTH) {
        ctx.report({ node, messageId: 'tooLong', values: { length, max: MAX_RULE_ID_LENGTH }, help: 'quota listings, logs and signed answers carry the id; choose a shorter one' });
      }
      const control = CONTROL.exec(id);
      if (control) {
        const hex = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
        ctx.report({ node: ctx.rangeInside(node, control.index, control.index + 1), messageId: 'control', values: { hex }, help: 'write the id with visible characters only, e.g. letters, digits, `-`, `_` and `.`' });
      }
      const comma = id.indexOf(',');
      if (comma >= 0) {
        ctx.report({ node: ctx.rangeInside(node, comma, comma + 1), messageId: 'comma', values: { id }, help: 'signed answers join rule ids with `,`, so this id would read as two; use `-` or `_` instead' });
      }
    }
  },
};
