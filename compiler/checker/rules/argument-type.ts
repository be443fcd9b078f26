import type { ErrorObject } from 'ajv';
import type { ArgumentNode, PlainValue, ValueNode } from '../../source/ast.js';
import { isRuleKind } from '../../schemas.js';
import { validateArgument } from '../../arguments/validate.js';
import type { Check } from '../registry.js';
import { describeValue } from '../values.js';

const YAML11_BOOLEANS: Record<string, boolean> = Object.fromEntries([
  ...['yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['no', 'No', 'NO', 'off', 'Off', 'OFF'].map((w) => [w, false] as const),
]);

export const argumentType: Check = {
  id: 'argument-type',
  code: 'KSS1105',
  meta: {
    description: 'an argument has the wrong type or is out of range',
    defaultSeverity: 'error',
    docs: {
      summary: 'Each argument is validated against its JSON Schema in `schemas/rules/`: `per_day` is a number of uses or -1 (unlimited), `days` a list of weekdays 0..6, `case_sensitive` a boolean, and so on.',
      example: '- - rule: per-profile-throttle-rule\n    per_day: -5         # a number of uses, or -1 for unlimited',
    },
  },
  check(ctx) {
    for (const { rule } of ctx.rules()) {
      const kind = rule.kind !== null && isRuleKind(rule.kind) ? rule.kind : null;
      // `rule_id` is checked whatever the kind: its schema is the same everywhere.
      if (rule.ruleId) reportErrors(rule.ruleId, validateArgument(kind ?? 'approve-rule', 'rule_id', rule.ruleId.value.value));
      if (!kind) continue;
      for (const arg of rule.args) reportErrors(arg, ctx.argumentErrors(kind, arg));
    }

    function reportErrors(arg: ArgumentNode, errors: ErrorObject[]): void {
      const seen = new Set<string>();
      for (const error of errors) {
        // One message per place: `type` errors make the others (ranges of a non-number) noise.
        if (seen.has(error.instancePath)) continue;
        seen.add(error.instancePath);
        const target = nodeAt(arg.value, error.instancePath);
        const what = error.instancePath === '' ? `\`${arg.key}\`` : `each item of \`${arg.key}\``;
        // `per_day:` with nothing after it has an empty value range: point at the key instead.
        const empty = target.range.start.offset === target.range.end.offset;
        ctx.report({ node: empty ? arg.keyRange : target, ...explain(what, error, target, (text) => ctx.quote(text)) });
      }
    }
  },
};

function nodeAt(value: ValueNode, path: string): ValueNode {
  let node = value;
  for (const part of path.split('/').slice(1)) {
    const next = node.items?.[Number(part)];
    if (!next) return node;
    node = next;
  }
  return node;
}

function explain(what: string, error: ErrorObject, node: ValueNode, quote: (text: string) => string): { message: string; help?: string; data?: Record<string, unknown> } {
  const value: PlainValue = node.value;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const names = String(params.type).split(',').map((t) => (t === 'integer' ? 'an integer' : t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : t === 'null' ? 'empty' : `a ${t}`));
      const expected = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0]!;
      const message = `${what} must be ${expected}, not ${describeValue(value, node.sourceText)}`;
      if (params.type === 'boolean' && typeof value === 'string' && value in YAML11_BOOLEANS) {
        const replacement = String(YAML11_BOOLEANS[value]);
        return { message, help: `\`${value}\` is a string in YAML 1.2 (YAML 1.1 readers such as the reference's take it as ${replacement}); write \`${replacement}\``, data: { replacement } };
      }
      if (params.type === 'integer' && typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
        return { message, help: `write the number without quotes: \`${value.trim()}\``, data: { replacement: value.trim() } };
      }
      if (params.type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
        const quoted = quote(node.sourceText ?? String(value));
        return { message, help: `quote it: \`${quoted}\``, data: { quoted } };
      }
      if (params.type === 'array' && value !== null && typeof value !== 'object') {
        return { message, help: `write a list, e.g. \`[${node.sourceText ?? JSON.stringify(value)}]\``, data: { replacement: `[${node.sourceText ?? JSON.stringify(value)}]` } };
      }
      if (value === null) return { message, help: 'give it a value, or remove the line to use the default' };
      return { message };
    }
    case 'minimum':
      // The reference's throttle limits: -1 is its "unlimited".
      if (params.limit === -1) return { message: `${what} must be a number of uses (0 or more) or -1 for unlimited, not ${describeValue(value, node.sourceText)}` };
      return { message: `${what} must be at least ${String(params.limit)}, not ${describeValue(value, node.sourceText)}`, ...rangeHelp(what) };
    case 'finite':
      return { message: `${what} must be a finite number, not ${describeValue(value, node.sourceText)}` };
    case 'maximum':
      return { message: `${what} must be at most ${String(params.limit)}, not ${describeValue(value, node.sourceText)}`, ...rangeHelp(what) };
    case 'exclusiveMinimum':
      return { message: `${what} must be more than ${String(params.limit)}, not ${describeValue(value, node.sourceText)}` };
    case 'exclusiveMaximum':
      return { message: `${what} must be less than ${String(params.limit)}, not ${describeValue(value, node.sourceText)}` };
    case 'minLength':
      return { message: `${what} must not be empty` };
    case 'minItems':
      return { message: `${what} must list at least ${String(params.limit)} entr${params.limit === 1 ? 'y' : 'ies'}`, help: 'an empty list never matches anything' };
    case 'uniqueItems':
      return { message: `${what} lists the same value twice (items ${String(params.j)} and ${String(params.i)})`, help: 'remove the repeated value' };
    default:
      return { message: `${what} ${error.message ?? 'is not valid'}` };
  }
}

function rangeHelp(what: string): { help?: string } {
  return what.includes('`days`') ? { help: 'weekdays are numbered Monday = 0 .. Sunday = 6' } : {};
}
