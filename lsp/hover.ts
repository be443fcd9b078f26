/** Hover: what the request type, rule kind or argument under the cursor means (docs from schemas/). */
import { MarkupKind } from 'vscode-languageserver';
import type { Hover } from 'vscode-languageserver';
import { argumentDoc, requestTypeDocs, ruleKindDoc } from './docs.js';
import { hoverTarget } from './locate.js';

export function hover(lines: string[], line: number, character: number): Hover | null {
  const target = hoverTarget(lines, line, character);
  if (target.kind === 'none') return null;
  let markdown: string | undefined;
  if (target.kind === 'requestType') {
    markdown = requestTypeDocs().find((d) => d.name === target.name)?.markdown
      ?? `\`${target.name}\` is not a request type`;
  } else if (target.kind === 'ruleKind') {
    markdown = ruleKindDoc(target.name)?.markdown;
  } else {
    markdown = argumentDoc(target.ruleKind, target.name)?.markdown;
  }
  if (!markdown) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: markdown },
    range: { start: { line, character: target.start }, end: { line, character: target.end } },
  };
}
