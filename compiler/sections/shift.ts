/**
 * A section's AST and diagnostics moved along the text: an edit before a section that keeps the
 * number of lines (typing within a line) shifts every offset of the sections after it and changes
 * nothing else. Lines and columns stay (a section starts at a line start and its text is the same),
 * and so do messages (they name lines, never offsets), so the result of building and checking the
 * section again is this copy with each offset moved by `delta` (test/sections/ compares them).
 */
import type { Diagnostic, Position, Range } from '../diagnostics.js';
import type { ArgumentNode, RequestTypeNode, RuleNode, RuleSetNode, ValueNode } from '../source/ast.js';

export function shiftSection(requestType: RequestTypeNode, diagnostics: Diagnostic[], delta: number): { requestType: RequestTypeNode; diagnostics: Diagnostic[] } {
  // Shared objects stay shared (a merged entry's value is its source's; a diagnostic's range, a node's).
  const ranges = new Map<Range, Range>();
  const values = new Map<ValueNode, ValueNode>();
  const args = new Map<ArgumentNode, ArgumentNode>();
  const position = (p: Position): Position => ({ offset: p.offset + delta, line: p.line, column: p.column });
  const range = (r: Range): Range => {
    let moved = ranges.get(r);
    if (!moved) ranges.set(r, (moved = { start: position(r.start), end: position(r.end) }));
    return moved;
  };
  const value = (v: ValueNode): ValueNode => {
    let moved = values.get(v);
    if (moved) return moved;
    moved = { ...v, range: range(v.range) };
    if (v.items) moved.items = v.items.map(value);
    if (v.sourceStart !== undefined) moved.sourceStart = v.sourceStart + delta;
    values.set(v, moved);
    return moved;
  };
  const arg = (a: ArgumentNode): ArgumentNode => {
    let moved = args.get(a);
    if (!moved) args.set(a, (moved = { ...a, keyRange: range(a.keyRange), value: value(a.value), range: range(a.range) }));
    return moved;
  };
  const rule = (r: RuleNode): RuleNode => ({
    ...r,
    range: range(r.range),
    kindNode: r.kindNode && arg(r.kindNode),
    ruleId: r.ruleId && arg(r.ruleId),
    args: r.args.map(arg),
  });
  const ruleSet = (s: RuleSetNode): RuleSetNode => ({ ...s, range: range(s.range), rules: s.rules.map(rule) });
  return {
    requestType: {
      ...requestType,
      nameRange: range(requestType.nameRange),
      range: range(requestType.range),
      valueRange: range(requestType.valueRange),
      ruleSets: requestType.ruleSets.map(ruleSet),
    },
    diagnostics: diagnostics.map((d) => ({ ...d, range: range(d.range) })),
  };
}
