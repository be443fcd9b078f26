/** After each rule without an explicit `rule_id`: the id its quota counts are stored under (SPEC §5). */
import { InlayHintKind } from 'vscode-languageserver';
import type { InlayHint, Range } from 'vscode-languageserver';
import type { PolicyAst } from '../compiler/source/ast.js';
import { assignRuleIds } from '../compiler/ir/rule-ids.js';
import { toLspRange } from './convert.js';

export function inlayHints(ast: PolicyAst | null, visible: Range): InlayHint[] {
  if (!ast) return [];
  const hints: InlayHint[] = [];
  for (const rule of safeAssign(ast)) {
    if (rule.explicit || !rule.node.kindNode) continue;
    const at = toLspRange(rule.node.kindNode.value.range).end;
    if (at.line < visible.start.line || at.line > visible.end.line) continue;
    hints.push({
      position: at,
      label: `rule_id: ${rule.ruleId}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: 'The effective rule id (SPEC §5). Quota counts are kept under it, and it changes when this rule\'s arguments change: pin it with an explicit `rule_id` to keep the counts.',
    });
  }
  return hints;
}

const assigned = new WeakMap<PolicyAst, ReturnType<typeof assignRuleIds>>();

/** The rule ids of an AST, computed once per analysis: code actions ask on every cursor move. */
export function safeAssign(ast: PolicyAst): ReturnType<typeof assignRuleIds> {
  let ids = assigned.get(ast);
  if (!ids) {
    try {
      ids = assignRuleIds(ast);
    } catch {
      ids = [];
    }
    assigned.set(ast, ids);
  }
  return ids;
}
