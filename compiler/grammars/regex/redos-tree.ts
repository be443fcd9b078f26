/** Walks of the Python pattern tree for the blow-up analysis (redos.ts). */
import type { Flags, Node } from './ast.js';
import { scopedFlags } from './emit.js';

export function collectGroups(n: Node, flags: Flags, out: Map<number, { body: Node; flags: Flags }>): void {
  if (n.type === 'group') {
    const inner = scopedFlags(n, flags);
    if (n.capture !== null) out.set(n.capture, { body: n.body, flags: inner });
    collectGroups(n.body, inner, out);
  } else if (n.type === 'seq') n.items.forEach((i) => collectGroups(i, flags, out));
  else if (n.type === 'alt') n.branches.forEach((b) => collectGroups(b, flags, out));
  else if (n.type === 'repeat' || n.type === 'look') collectGroups(n.body, flags, out);
}

/** The same tree with every span moved to [start, end) (a back-reference's copy of its group). */
export function relocate(n: Node, start: number, end: number): Node {
  const at = { start, end };
  switch (n.type) {
    case 'seq':
      return { ...n, ...at, items: n.items.map((i) => relocate(i, start, end)) };
    case 'alt':
      return { ...n, ...at, branches: n.branches.map((b) => relocate(b, start, end)) };
    case 'group':
    case 'repeat':
    case 'look':
      return { ...n, ...at, body: relocate(n.body, start, end) } as Node;
    default:
      return { ...n, ...at };
  }
}

/** Every match starts at the beginning (`\A`, or `^` without MULTILINE). */
export function anchoredAtStart(n: Node, flags: Flags): boolean {
  switch (n.type) {
    case 'anchor':
      return n.kind === 'A' || (n.kind === '^' && !flags.m);
    case 'seq':
      return n.items.length > 0 && anchoredAtStart(n.items[0]!, flags);
    case 'alt':
      return n.branches.every((b) => anchoredAtStart(b, flags));
    case 'group':
      return anchoredAtStart(n.body, scopedFlags(n, flags));
    default:
      return false;
  }
}
