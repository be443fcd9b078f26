/** The AST of a Python pattern, with the offsets of each node in the written pattern. */

export interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  /** ASCII-only `\w \d \s \b` and case folding. */
  a: boolean;
}

export interface Span {
  start: number;
  end: number;
}

export type Category = 'd' | 'D' | 's' | 'S' | 'w' | 'W';

export type ClassMember =
  | { kind: 'char'; cp: number }
  | { kind: 'range'; lo: number; hi: number }
  | { kind: 'category'; cat: Category };

export type Node = Span &
  (
    | { type: 'seq'; items: Node[] }
    | { type: 'alt'; branches: Node[] }
    | { type: 'char'; cp: number }
    | { type: 'class'; negate: boolean; members: ClassMember[] }
    | { type: 'category'; cat: Category }
    | { type: 'dot' }
    | { type: 'anchor'; kind: '^' | '$' | 'A' | 'Z' | 'b' | 'B' }
    | { type: 'group'; capture: number | null; add: Partial<Flags>; del: Partial<Flags>; body: Node }
    | { type: 'look'; behind: boolean; negate: boolean; body: Node }
    | { type: 'repeat'; min: number; max: number; lazy: boolean; body: Node }
    | { type: 'backref'; group: number }
  );

export type NodeOf<K extends Node['type']> = Extract<Node, { type: K }>;

/** Python's getwidth(): the [min, max] number of code points a node matches. */
export function width(node: Node, groupWidths: Map<number, [number, number]>): [number, number] {
  switch (node.type) {
    case 'seq': {
      let lo = 0;
      let hi = 0;
      for (const item of node.items) {
        const [a, b] = width(item, groupWidths);
        lo += a;
        hi += b;
      }
      return [lo, hi];
    }
    case 'alt': {
      const ws = node.branches.map((b) => width(b, groupWidths));
      return [Math.min(...ws.map((w) => w[0])), Math.max(...ws.map((w) => w[1]))];
    }
    case 'char':
    case 'class':
    case 'category':
    case 'dot':
      return [1, 1];
    case 'anchor':
    case 'look':
      return [0, 0];
    case 'group':
      return width(node.body, groupWidths);
    case 'repeat': {
      const [a, b] = width(node.body, groupWidths);
      // As sre: an unbounded repeat of something non-empty is unbounded; anything repeated 0 times is 0.
      if (node.max === 0) return [0, 0];
      return [a * node.min, node.max === Infinity ? (b > 0 ? Infinity : 0) : b * node.max];
    }
    case 'backref':
      return groupWidths.get(node.group) ?? [0, 0];
  }
}
