import type { Node, Span } from './ast.js';

/**
 * A JavaScript back-reference to a group that did not take part matches the empty string; in
 * Python it fails, and a group inside a repetition keeps its value from an earlier pass. Both
 * agree when the group is certainly set, in this pass, before the reference: the group and the
 * reference sit in one sequence and only groups and sequences lie between that sequence and the
 * group. (Under IGNORECASE Python compares both sides lower-cased; the runtime matches metas that
 * are already lower-cased, where that is the same as JavaScript's exact comparison.)
 */
export function checkBackrefs(root: Node, fail: (message: string, span: Span, help?: string) => never): void {
  const paths = new Map<number, Node[]>();
  const walk = (node: Node, path: Node[]): void => {
    const here = [...path, node];
    if (node.type === 'group' && node.capture !== null) paths.set(node.capture, here);
    if (node.type === 'backref') {
      const gpath = paths.get(node.group)!;
      let k = 0;
      while (k < gpath.length && k < path.length && gpath[k] === path[k]) k++;
      const lca = gpath[k - 1];
      const between = gpath.slice(k);
      if (lca?.type !== 'seq' || between.some((n) => n.type !== 'group' && n.type !== 'seq')) {
        fail(`back-reference to group ${node.group}, which may be unset or from an earlier repetition here, has no exact JavaScript equivalent`, node, 'JavaScript matches an unset group as empty where Python fails; move the group out of the alternative, repetition or look-around');
      }
    }
    const kids = node.type === 'seq' ? node.items : node.type === 'alt' ? node.branches : 'body' in node ? [node.body] : [];
    for (const kid of kids) walk(kid, here);
  };
  walk(root, []);
}
