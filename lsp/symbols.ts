/** The outline: request type → rule set → rule, from the AST. */
import { SymbolKind } from 'vscode-languageserver';
import type { DocumentSymbol } from 'vscode-languageserver';
import type { PolicyAst } from '../compiler/source/ast.js';
import { toLspRange } from './convert.js';

export function documentSymbols(ast: PolicyAst | null): DocumentSymbol[] {
  if (!ast) return [];
  return ast.requestTypes.map((type) => ({
    name: type.name,
    detail: `${type.ruleSets.length} rule set${type.ruleSets.length === 1 ? '' : 's'}`,
    kind: SymbolKind.Namespace,
    range: toLspRange(type.range),
    selectionRange: toLspRange(type.nameRange),
    children: type.ruleSets.map((set) => ({
      name: `rule set ${set.index}`,
      detail: set.rules.map((r) => r.kind ?? '?').join(', '),
      kind: SymbolKind.Array,
      range: toLspRange(set.range),
      selectionRange: toLspRange(set.rules[0]?.kindNode?.range ?? set.range),
      children: set.rules.map((rule) => ({
        name: rule.kind ?? '(rule without `rule`)',
        ...(rule.ruleId ? { detail: `rule_id: ${String(rule.ruleId.value.value)}` } : {}),
        kind: SymbolKind.Function,
        range: toLspRange(rule.range),
        selectionRange: toLspRange(rule.kindNode?.value.range ?? rule.range),
      })),
    })),
  }));
}
