/**
 * SPEC §5 rule ids: the MD5 of the rule's mapping (without `rule_id`) as Python's json.dumps writes it,
 * handed out in file order with `.K` suffixes for repeats. Explicit ids are kept and count as seen.
 * Used by lowering and by the language server's inlay hints.
 */
import { createHash } from 'node:crypto';
import type { PolicyAst, RuleNode, ValueNode } from '../source/ast.js';
import { fromPlain, pyDict, pyFloat, pyInt, pyJsonDumps } from './py-json.js';
import type { PyValue } from './py-json.js';

export interface AssignedRuleId {
  requestType: string;
  ruleSet: number;
  rule: number;
  node: RuleNode;
  ruleId: string;
  explicit: boolean;
}

/**
 * The effective id of every rule of the AST, in file order. With `onlyKind`, only the rules of that
 * kind (and every explicit id, which counts as seen) are assigned: rules of other kinds can never
 * share their hash (the hashed text includes `rule`), so their ids need not be computed — hashing
 * every rule of a 60,000-line policy would dominate `kss check`.
 */
export function assignRuleIds(ast: PolicyAst, onlyKind?: string): AssignedRuleId[] {
  const seen = new Map<string, number>();
  const out: AssignedRuleId[] = [];
  for (const type of ast.requestTypes) {
    for (const ruleSet of type.ruleSets) {
      for (const node of ruleSet.rules) {
        const explicit = hasExplicitRuleId(node);
        if (!explicit && onlyKind !== undefined && node.kind !== onlyKind) continue;
        const base = explicit ? String(node.ruleId!.value.value) : hashRule(node);
        const count = (seen.get(base) ?? 0) + 1;
        seen.set(base, count);
        const ruleId = explicit || count === 1 ? base : `${base}.${count}`;
        out.push({ requestType: type.name, ruleSet: ruleSet.index, rule: node.index, node, ruleId, explicit });
      }
    }
  }
  return out;
}

/** The MD5 part of an id, before any `.K` suffix. */
export function hashRule(node: RuleNode): string {
  return createHash('md5').update(ruleIdText(node), 'utf8').digest('hex');
}

/**
 * The exact text that is hashed (useful for explaining an id). The reference tests the written
 * `rule_id` with Python's truthiness (`if not rule_id`): an empty or zero one does not count, and is
 * then hashed along with the rest of the mapping.
 */
export function ruleIdText(node: RuleNode): string {
  const entries: Array<[string, PyValue]> = [];
  if (node.kindNode) entries.push(['rule', pyValueOf(node.kindNode.value)]);
  if (node.ruleId && !pythonTruthy(node.ruleId.value.value)) entries.push(['rule_id', pyValueOf(node.ruleId.value)]);
  for (const arg of node.args) entries.push([arg.key, pyValueOf(arg.value)]);
  return pyJsonDumps(pyDict(entries));
}

/** Whether the rule's written `rule_id` is its id: the reference ignores an empty, zero or null one. */
export function hasExplicitRuleId(node: RuleNode): boolean {
  return node.ruleId !== null && pythonTruthy(node.ruleId.value.value);
}

/** Python's `bool(value)` for a YAML value. */
function pythonTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

// YAML 1.2 core schema ints; every other number is a float, and Python keeps the difference (`1` vs `1.0`).
const YAML_INT = /^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;

function pyValueOf(v: ValueNode): PyValue {
  if (v.items) return v.items.map(pyValueOf);
  const value = v.value;
  if (typeof value === 'number' && v.sourceText !== undefined) {
    const text = v.sourceText.trim();
    if (YAML_INT.test(text)) {
      try {
        return pyInt(BigInt(text.replace(/^\+/, '')));
      } catch {
        return pyInt(Math.trunc(value));
      }
    }
    return pyFloat(value);
  }
  return fromPlain(value);
}
