/**
 * Quick fixes from the diagnostics' `data` (the checker says what would fix it; this only edits text),
 * and one refactoring: pin a throttle rule's current effective id as an explicit `rule_id`.
 */
import { CodeActionKind } from 'vscode-languageserver';
import type { CodeAction, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import { parse as parseYaml } from 'yaml';
import { checkByCode } from '../compiler/checker/registry.js';
import { hasExplicitRuleId } from '../compiler/ir/rule-ids.js';
import { LineIndex } from '../compiler/diagnostics.js';
import type { PolicyAst, RequestTypeNode, RuleNode } from '../compiler/source/ast.js';
import { DEFAULT_APPROVED } from '../compiler/ir/types.js';
import type { Analysis } from './analysis.js';
import type { DiagnosticData } from './convert.js';
import { offsetsToLspRange } from './convert.js';
import { safeAssign } from './inlay-hints.js';

/** Checks whose diagnostic is fixed by deleting the rule (SPEC §3 incompatibility). */
const REMOVE_RULE_CHECKS = new Set(['incompatible-rule']);

export function codeActions(analysis: Analysis, range: Range, diagnostics: Diagnostic[], offsetAt: (p: Range['start']) => number): CodeAction[] {
  const actions: CodeAction[] = [];
  const edit = (title: string, edits: TextEdit[], diagnostic?: Diagnostic, preferred = false, kind: string = CodeActionKind.QuickFix): void => {
    actions.push({
      title,
      kind,
      edit: { changes: { [analysis.uri]: edits } },
      ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
      ...(preferred ? { isPreferred: true } : {}),
    });
  };
  const index = analysis.ast?.lines ?? new LineIndex(analysis.text);
  const span = (start: number, end: number): Range => offsetsToLspRange(index, start, end);

  for (const diagnostic of diagnostics) {
    const data = diagnostic.data as DiagnosticData | undefined;
    if (!data || typeof data.code !== 'string' || !Array.isArray(data.offsets)) continue;
    const fix = data.fix ?? {};
    const replacements = [fix['replacement'], ...(Array.isArray(fix['replacements']) ? fix['replacements'] : [])]
      .filter((r, i, all): r is string => typeof r === 'string' && all.indexOf(r) === i);
    replacements.forEach((replacement, index) => {
      edit(replacement === '' ? 'Remove it' : `Change to \`${replacement}\``, [{ range: diagnostic.range, newText: replacement }], diagnostic, index === 0);
    });
    if (typeof fix['quoted'] === 'string') {
      edit(`Quote as ${fix['quoted']}`, [{ range: diagnostic.range, newText: fix['quoted'] }], diagnostic, true);
    }
    const rule = analysis.ast ? ruleAt(analysis.ast, data.offsets[0]) : null;
    if (rule && analysis.ast && typeof fix['insertRuleId'] === 'string') {
      const pin = pinEdits(analysis.ast, analysis.text, rule.node);
      if (pin) edit(pin.title, pin.inserts.map((i) => ({ range: span(i.at, i.end ?? i.at), newText: i.text })), diagnostic, true);
    }
    if (rule && typeof fix['insertKey'] === 'string') {
      const insert = insertAfterKind(analysis.text, rule.node, `${fix['insertKey']}: `);
      if (insert) edit(`Add \`${fix['insertKey']}\``, [{ range: span(insert.at, insert.at), newText: insert.text }], diagnostic, true);
    }
    const argument = rule?.node.args.find((a) => a.keyRange.start.offset === data.offsets[0]);
    if (argument && fix['remove'] === true) {
      const cut = lineSpan(analysis.text, argument.range.start.offset, argument.range.end.offset);
      if (cut) edit(`Remove \`${argument.key}\``, [{ range: span(cut[0], cut[1]), newText: '' }], diagnostic, true);
    }
    if (rule && analysis.ast && (fix['removeRule'] === true || REMOVE_RULE_CHECKS.has(checkByCode(data.code)?.id ?? ''))) {
      const { edit: [start, end, text], emptied } = removal(analysis.ast, analysis.text, rule.node);
      const kind = `\`${rule.node.kind ?? 'rule'}\``;
      if (!emptied) edit(`Remove this ${kind}`, [{ range: span(start, end), newText: text }], diagnostic);
      else {
        // An empty rule tree denies every request; an absent request type may be approved by default
        // (SPEC 2.1): the two removals mean different things, and the titles say which.
        const name = `\`${emptied.name}\``;
        edit(`Remove this ${kind}, leaving ${name} with no rule set: every ${name} request is denied`, [{ range: span(start, end), newText: text }], diagnostic);
        const whole = requestTypeLines(analysis.text, emptied);
        const byDefault = (DEFAULT_APPROVED as readonly string[]).includes(emptied.name) ? 'approved' : 'denied';
        if (whole) edit(`Remove ${name} from the policy: its requests are then ${byDefault} by default`, [{ range: span(whole[0], whole[1]), newText: '' }], diagnostic);
      }
    }
  }

  // Pinning is useful before any diagnostic asks for it: offer it on every throttle rule at the cursor.
  if (analysis.ast && !actions.some((a) => a.title.startsWith('Pin rule_id'))) {
    const start = offsetAt(range.start);
    const end = offsetAt(range.end);
    for (const assigned of safeAssign(analysis.ast)) {
      const r = assigned.node.range;
      if (assigned.explicit || assigned.node.kind !== 'per-profile-throttle-rule') continue;
      if (end < r.start.offset || start > r.end.offset) continue;
      const pin = pinEdits(analysis.ast, analysis.text, assigned.node);
      if (pin) {
        edit(pin.title, pin.inserts.map((i) => ({ range: span(i.at, i.end ?? i.at), newText: i.text })), undefined, false, CodeActionKind.RefactorRewrite);
      }
    }
  }
  return actions;
}

/**
 * The edits that pin a rule's current id. A repeated rule's id is `<md5>.K` because K-1 identical
 * rules come before it; pinning it alone would hand its `.K` to the next identical rule (SPEC §5
 * counts by the derived id), shifting that rule's quota counts onto another rule. So every later
 * rule with the same derived id base is pinned too, each to its own current id: no id changes.
 */
function pinEdits(ast: PolicyAst, text: string, node: RuleNode): { title: string; inserts: TextChange[] } | null {
  const all = safeAssign(ast);
  const at = all.findIndex((a) => a.node === node);
  const target = all[at];
  if (!target || target.explicit) return null;
  const base = target.ruleId.split('.')[0];
  const followers = all.slice(at + 1).filter((a) => !a.explicit && a.ruleId.split('.')[0] === base);
  const inserts = [target, ...followers].map((a) => insertRuleId(text, a.node, a.ruleId));
  if (inserts.some((i) => i === null)) return null;
  const also = followers.length === 0 ? '' : ` and ${followers.length} identical rule${followers.length === 1 ? '' : 's'} after it`;
  return { title: `Pin rule_id \`${target.ruleId}\`${also} (keeps quota counts across edits)`, inserts: inserts as TextChange[] };
}

interface Located {
  node: RuleNode;
}

function ruleAt(ast: PolicyAst, offset: number): Located | null {
  let best: RuleNode | null = null;
  for (const type of ast.requestTypes) {
    for (const set of type.ruleSets) {
      for (const rule of set.rules) {
        if (offset >= rule.range.start.offset && offset <= rule.range.end.offset) best = rule;
      }
    }
  }
  return best ? { node: best } : null;
}

/** A text change: insert `text` at `at`, or replace `at`..`end` with it. */
interface TextChange {
  at: number;
  end?: number;
  text: string;
}

/**
 * Gives the rule `rule_id: <id>`: right after its `rule:` entry, or in place of a written `rule_id`
 * that does not count (empty, zero or null: the reference ignores it, SPEC §5).
 */
export function insertRuleId(text: string, rule: RuleNode, id: string): TextChange | null {
  if (rule.ruleId) {
    if (hasExplicitRuleId(rule) || !rule.ruleId.value.node?.range) return null;
    const [start, end] = rule.ruleId.value.node.range;
    // `rule_id:` with nothing after it: keep a space between the colon and the value.
    return { at: start, end, text: start === end && text[start - 1] === ':' ? ` ${yamlScalar(id)}` : yamlScalar(id) };
  }
  return insertAfterKind(text, rule, `rule_id: ${yamlScalar(id)}`);
}

/** Inserts `entry` (a `key: value` text) as the rule's entry right after `rule:`. */
function insertAfterKind(text: string, rule: RuleNode, entry: string): { at: number; text: string } | null {
  const kind = rule.kindNode;
  if (!kind) return null;
  const flow = text[rule.range.start.offset] === '{';
  if (flow) return { at: kind.range.end.offset, text: `, ${entry.trimEnd()}` };
  const lineEnd = text.indexOf('\n', kind.range.end.offset - 1);
  const at = lineEnd < 0 ? text.length : lineEnd;
  const indent = ' '.repeat(kind.keyRange.start.column - 1);
  return { at, text: `\n${indent}${entry}` };
}

/** Whole lines from `start` to `end` when nothing else shares them (an entry on lines of its own). */
function lineSpan(text: string, start: number, end: number): [number, number] | null {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() !== '') return null;
  if (text[end - 1] === '\n') return [lineStart, end];
  const last = text.slice(end).search(/\n/);
  const lineEnd = last < 0 ? text.length : end + last + 1;
  if (text.slice(end, lineEnd).replace(/#.*$/, '').trim() !== '') return null;
  return [lineStart, lineEnd];
}

/** The id as a YAML scalar that reads back as the same string (hex like `12e4` would read as a number). */
function yamlScalar(id: string): string {
  try {
    if (parseYaml(`v: ${id}`)?.v === id) return id;
  } catch {
    // fall through to quoting
  }
  return `'${id}'`;
}

/**
 * The text edit that deletes a rule: up to the next rule when there is one (which then takes its place
 * after the `- `), else from the end of the previous rule. A rule set left empty would approve
 * everything, so the only rule of a set takes its set with it, and the only set leaves `[]` (deny):
 * then `emptied` is the request type so left.
 */
function removal(ast: PolicyAst, text: string, rule: RuleNode): { edit: [number, number, string]; emptied?: RequestTypeNode } {
  for (const type of ast.requestTypes) {
    for (const set of type.ruleSets) {
      const i = set.rules.indexOf(rule);
      if (i < 0) continue;
      if (set.rules.length > 1) return { edit: between(set.rules.map((r) => r.range), i) };
      if (type.ruleSets.length > 1) return { edit: between(type.ruleSets.map((s) => s.range), type.ruleSets.indexOf(set)) };
      // A block list's range ends after its line break, which must stay.
      let end = type.valueRange.end.offset;
      while (end > type.valueRange.start.offset && /\s/.test(text[end - 1]!)) end--;
      return { edit: [type.valueRange.start.offset, end, '[]'], emptied: type };
    }
  }
  return { edit: [rule.range.start.offset, rule.range.end.offset, ''] };
}

/** The whole lines of a block-mapping request type (key and rule tree), or null in a flow mapping (JSON). */
function requestTypeLines(text: string, type: RequestTypeNode): [number, number] | null {
  return lineSpan(text, type.nameRange.start.offset, type.range.end.offset);
}

function between(ranges: Array<{ start: { offset: number }; end: { offset: number } }>, i: number): [number, number, string] {
  const next = ranges[i + 1];
  if (next) return [ranges[i]!.start.offset, next.start.offset, ''];
  return [ranges[i - 1]!.end.offset, ranges[i]!.end.offset, ''];
}
