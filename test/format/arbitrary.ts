/**
 * Random policies written in random (valid) layouts: indentation, sequence styles, flow and block
 * collections, quoting, comments and blank lines. For the formatter's property tests.
 */
import fc from 'fast-check';
import { parseDocument } from 'yaml';

type Scalar = string | number | boolean;
type Value = Scalar | Scalar[];
interface Rule {
  kind: string;
  args: Array<[string, Value]>;
}
export interface Policy {
  types: Array<{ name: string; sets: Rule[][] }>;
}
export interface Layout {
  indent: number;
  indentSeq: boolean;
  flowLists: boolean;
  inlineFirst: boolean;
  blankLines: boolean;
  comments: boolean;
  crlf: boolean;
  flowRules: boolean;
}

const scalar: fc.Arbitrary<Scalar> = fc.oneof(
  fc.constantFrom('17:00', '8:00am', 'yes', 'no', 'on', '/finance', '!/taxi', '*.pdf', '2022-12-25', 'a b: c', '#x', 'null', '010', 'correct horse battery staple'),
  fc.string({ maxLength: 8 }),
  fc.integer({ min: -5, max: 1000 }),
  fc.boolean(),
);
const value: fc.Arbitrary<Value> = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));
const rule: fc.Arbitrary<Rule> = fc.record({
  kind: fc.constantFrom('meta-rule', 'time-range-rule', 'per-profile-throttle-rule', 'approve-rule', 'profile-id-rule'),
  args: fc.uniqueArray(fc.tuple(fc.constantFrom('paths', 'per_day', 'rule_id', 'days', 'time_start', 'case_sensitive', 'profile_ids', 'x-y'), value), {
    maxLength: 4,
    selector: ([k]) => k,
  }),
});
export const policy: fc.Arbitrary<Policy> = fc.record({
  types: fc.uniqueArray(
    fc.record({ name: fc.constantFrom('decrypt', 'search', 'rename', 'create_profile', 'start_session'), sets: fc.array(fc.array(rule, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }) }),
    { minLength: 1, maxLength: 3, selector: (t) => t.name },
  ),
});
export const layout: fc.Arbitrary<Layout> = fc.record({
  indent: fc.constantFrom(2, 4),
  indentSeq: fc.boolean(),
  flowLists: fc.boolean(),
  inlineFirst: fc.boolean(),
  blankLines: fc.boolean(),
  comments: fc.boolean(),
  crlf: fc.boolean(),
  flowRules: fc.boolean(),
});

/** A scalar as YAML that reads back as the same value. */
export function yamlScalar(v: Scalar): string {
  const text = String(v);
  try {
    const doc = parseDocument(`v: ${text}`, { logLevel: 'silent' });
    if (text !== '' && doc.errors.length === 0 && doc.warnings.length === 0 && doc.toJS()?.v === v && !/[#,[\]{}@`]/.test(text)) return text;
  } catch {
    // not plain-safe
  }
  return JSON.stringify(v);
}

let counter = 0;

export function render(p: Policy, l: Layout): { text: string; comments: string[] } {
  const out: string[] = [];
  const comments: string[] = [];
  const comment = (): string => {
    if (!l.comments) return '';
    const c = `c${++counter}`;
    comments.push(c);
    return ` # ${c}`;
  };
  const pad = (n: number) => ' '.repeat(n);
  if (l.comments) out.push(`#${comment().slice(2)}`);
  for (const type of p.types) {
    if (l.blankLines && out.length > 0) out.push('');
    out.push(`${type.name}:${comment()}`);
    const setCol = l.indentSeq ? l.indent : 0;
    for (const set of type.sets) {
      set.forEach((r, i) => {
        const ruleCol = setCol + 2;
        const keyCol = ruleCol + 2;
        const lead = i === 0 ? (l.inlineFirst ? `${pad(setCol)}- - ` : `${pad(setCol)}-\n${pad(ruleCol)}- `) : `${pad(ruleCol)}- `;
        if (l.comments && i > 0) out.push(`${pad(ruleCol)}#${comment().slice(2)}`);
        const entries: Array<[string, Value]> = [['rule', r.kind], ...r.args];
        if (l.flowRules && r.args.every(([, v]) => !Array.isArray(v))) {
          out.push(`${lead}{${entries.map(([k, v]) => `${k}: ${yamlScalar(v as Scalar)}`).join(', ')}}${comment()}`);
          return;
        }
        entries.forEach(([key, v], j) => {
          const prefix = j === 0 ? lead : pad(keyCol);
          // A comment line above a key: it must stay with that key when `rule` moves first.
          if (j > 0 && l.comments && (key === 'rule_id' || j % 2 === 0)) out.push(`${pad(keyCol)}#${comment().slice(2)}`);
          if (Array.isArray(v)) {
            if (l.flowLists || v.length === 0) out.push(`${prefix}${key}: [${v.map(yamlScalar).join(', ')}]${comment()}`);
            else {
              out.push(`${prefix}${key}:${comment()}`);
              for (const item of v) out.push(`${pad(l.indentSeq ? keyCol + 2 : keyCol)}- ${yamlScalar(item)}`);
            }
          } else out.push(`${prefix}${key}: ${yamlScalar(v)}${comment()}`);
        });
      });
    }
  }
  const text = `${out.join('\n')}\n`;
  return { text: l.crlf ? text.replace(/\n/g, '\r\n') : text, comments };
}
