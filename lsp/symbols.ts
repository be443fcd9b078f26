/** The outline: request type → rule set → rule, from the AST. */
import { SymbolKind } from 'vscode-languageserver';
import type { DocumentSymbol, Range } from 'vscode-languageserver';
import type { Range as KssRange } from '../compiler/diagnostics.js';
import type { PolicyAst } from '../compiler/source/ast.js';
import { toLspRange as lspRange } from './convert.js';

function clamp(range: Range, lineCount: number): Range {
  const last = Math.max(0, lineCount - 1);
  const at = (p: Range['start']) => (p.line > last ? { line: last, character: 0 } : p);
  return { start: at(range.start), end: at(range.end) };
}

/**
 * `lineCount` is the current document's: an outline from an older AST (while the YAML is broken)
 * is clamped into it, so no range points past the end.
 */
export function documentSymbols(ast: PolicyAst | null, lineCount = Number.MAX_SAFE_INTEGER): DocumentSymbol[] {
  if (!ast) return [];
  const toLspRange = (range: KssRange): Range => clamp(lspRange(range), lineCount);
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
