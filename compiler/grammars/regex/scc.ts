/** Strongly connected parts of an implicit graph, for the blow-up analysis (redos.ts). */

/** Thrown when the work exceeds its limit: the analysis then reports rather than guesses. */
export class TooComplex extends Error {}

/** Strongly connected components (Tarjan, iterative) of the graph reachable from `starts`. */
export function components(starts: number[], edges: (v: number) => number[], limit: number): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  let work = 0;
  for (const s of starts) {
    if (index.has(s)) continue;
    const frames: Array<{ v: number; next: number[]; i: number }> = [];
    const open = (v: number) => {
      index.set(v, counter);
      low.set(v, counter++);
      stack.push(v);
      onStack.add(v);
      frames.push({ v, next: edges(v), i: 0 });
    };
    open(s);
    while (frames.length > 0) {
      const f = frames[frames.length - 1]!;
      if (++work > limit) throw new TooComplex();
      if (f.i < f.next.length) {
        const w = f.next[f.i++]!;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(f.v, Math.min(low.get(f.v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(f.v)!));
      if (low.get(f.v) === index.get(f.v)) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== f.v);
        // A single state is a loop only with an edge to itself.
        if (component.length > 1 || edges(f.v).includes(f.v)) out.push(component);
      }
    }
  }
  return out;
}

