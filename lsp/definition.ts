/** Go to definition from an alias (`*name`) to its anchor (`&name`): the nearest one before it, as YAML resolves. */
import { isAlias, visit } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';

/** Offsets [start, end) of the anchor (or the anchored node) for the alias at `offset`, or null. */
export function anchorFor(document: Document.Parsed | null, text: string, offset: number): [number, number] | null {
  if (!document) return null;
  let alias: { source: string; start: number } | null = null;
  visit(document, {
    Alias(_key, node) {
      const r = node.range;
      if (r && offset >= r[0] && offset <= r[1]) {
        alias = { source: node.source, start: r[0] };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (!alias) return null;
  const { source, start } = alias as { source: string; start: number };
  let found: [number, number] | null = null;
  visit(document, {
    Node(_key, node) {
      const n = node as YamlNode;
      if (isAlias(n) || n.anchor !== source || !n.range || n.range[0] >= start) return undefined;
      // The node's range may start after its `&name`; point at the anchor itself when it is there.
      const at = text.lastIndexOf(`&${source}`, n.range[0]);
      found = at >= 0 && at >= n.range[0] - 200 ? [at, at + source.length + 1] : [n.range[0], n.range[1]];
      return undefined;
    },
  });
  return found;
}
