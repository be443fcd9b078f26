/** Completion from the cursor's place in the structure (locate.ts) and the schemas' docs (docs.ts). */
import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import type { CompletionItem } from 'vscode-languageserver';
import { argumentValues, requestTypeDocs, ruleArgumentDocs, ruleKindDocs } from './docs.js';
import { cursorContext, lineShape } from './locate.js';

const RETRIGGER = { title: 'suggest', command: 'editor.action.triggerSuggest' };

export function completions(lines: string[], line: number, character: number): CompletionItem[] {
  const context = cursorContext(lines, line, character);
  // Replace the whole partial word: editors' default word boundaries stop at `-`, so `meta-ru`
  // would otherwise become `meta-meta-rule`.
  const prefix = 'prefix' in context ? context.prefix : '';
  const range = { start: { line, character: character - prefix.length }, end: { line, character } };
  return items(context, lines, line).map((item) => {
    const { insertText, ...rest } = item;
    return { ...rest, textEdit: { range, newText: insertText ?? item.label } };
  });
}

function items(context: ReturnType<typeof cursorContext>, lines: string[], line: number): CompletionItem[] {
  switch (context.kind) {
    case 'requestTypeKey': {
      const present = new Set(lines.filter((l) => /^[A-Za-z_]/.test(l)).map((l) => lineShape(l).key));
      return requestTypeDocs()
        .filter((doc) => !present.has(doc.name) || lineShape(lines[line] ?? '').key === doc.name)
        .map((doc) => ({
          label: doc.name,
          kind: CompletionItemKind.Module,
          detail: 'request type',
          documentation: { kind: MarkupKind.Markdown, value: doc.markdown },
          insertText: `${doc.name}:\n  - - rule: $0`,
          insertTextFormat: InsertTextFormat.Snippet,
          command: RETRIGGER,
        }));
    }
    case 'ruleKind':
      return ruleKindDocs(context.requestType).map((doc) => ({
        label: doc.name,
        kind: CompletionItemKind.Class,
        detail: doc.summary,
        documentation: { kind: MarkupKind.Markdown, value: doc.markdown },
      }));
    case 'ruleKey': {
      if (!context.ruleKind) {
        return [{ label: 'rule', kind: CompletionItemKind.Property, detail: 'the rule kind', insertText: 'rule: ', command: RETRIGGER }];
      }
      const used = new Set(context.used);
      // Arguments kept only so that the reference's policies load (the throttle's storage) are not offered.
      return ruleArgumentDocs(context.ruleKind)
        .filter((arg) => !arg.deprecated)
        .map((arg, index) => ({
          label: arg.name,
          kind: CompletionItemKind.Property,
          detail: arg.summary,
          documentation: { kind: MarkupKind.Markdown, value: arg.markdown },
          // Keys not yet written come first; a key written twice is an error, but it may be this line's.
          sortText: `${used.has(arg.name) ? '1' : '0'}${String(index).padStart(2, '0')}`,
          // Lists open as a flow list with the cursor inside; known values pop up right away.
          ...(arg.type === 'array'
            ? { insertText: `${arg.name}: [$0]`, insertTextFormat: InsertTextFormat.Snippet }
            : { insertText: `${arg.name}: ` }),
          ...(argumentValues(context.ruleKind!, arg.name, false).length > 0 ? { command: RETRIGGER } : {}),
        }));
    }
    case 'argumentValue':
      return argumentValues(context.ruleKind, context.argument, context.inList).map((choice, i) => ({
        label: choice.label,
        kind: CompletionItemKind.Value,
        ...(choice.detail ? { detail: choice.detail, labelDetails: { description: choice.detail } } : {}),
        insertText: choice.text,
        sortText: String(i).padStart(3, '0'),
      }));
    default:
      return [];
  }
}
