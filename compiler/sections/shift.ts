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
  // Plain copies, no identity kept: nothing compares ranges or nodes by identity across analyses,
  // and a map from old to new objects cost more than the copies (issue 15's profile).
  const position = (p: Position): Position => ({ offset: p.offset + delta, line: p.line, column: p.column });
  const range = (r: Range): Range => ({ start: position(r.start), end: position(r.end) });
  const value = (v: ValueNode): ValueNode => {
    const moved = { ...v, range: range(v.range) };
    if (v.items) moved.items = v.items.map(value);
    if (v.sourceStart !== undefined) moved.sourceStart = v.sourceStart + delta;
    return moved;
  };
  // These have no optional fields: literals, cheaper than spreads (a value and a diagnostic have some).
  const arg = (a: ArgumentNode): ArgumentNode => ({ key: a.key, keyRange: range(a.keyRange), value: value(a.value), range: range(a.range) });
  const rule = (r: RuleNode): RuleNode => ({
    index: r.index,
    range: range(r.range),
    kind: r.kind,
    kindNode: r.kindNode && arg(r.kindNode),
    ruleId: r.ruleId && arg(r.ruleId),
    args: r.args.map(arg),
    value: r.value,
  });
  const ruleSet = (s: RuleSetNode): RuleSetNode => ({ index: s.index, range: range(s.range), rules: s.rules.map(rule) });
  return {
    requestType: {
      name: requestType.name,
      nameRange: range(requestType.nameRange),
      range: range(requestType.range),
      valueRange: range(requestType.valueRange),
      ruleSets: requestType.ruleSets.map(ruleSet),
    },
    diagnostics: diagnostics.map((d) => ({ ...d, range: range(d.range) })),
  };
}
