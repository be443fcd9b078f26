/**
 * A line diff of two policy sources as unified-diff hunks (what the console shows beside the
 * semantic diff): the common head and tail are cut off first, then Myers' O(ND) shortest edit
 * script on the rest. Bounded: past `maxEdits` removed plus added lines it answers null (the
 * sources are too different for a line diff to help, and its cost grows with N × D).
 */

export interface DiffLine {
  op: ' ' | '-' | '+';
  text: string;
}

export interface Hunk {
  /** 1-based first line of the hunk in the old and new source (as `@@ -a,b +c,d @@`). */
  old_start: number;
  old_lines: number;
  new_start: number;
  new_lines: number;
  lines: DiffLine[];
}

export const MAX_LINE_EDITS = 2000;
const CONTEXT = 3;

export function lineDiff(oldText: string, newText: string, maxEdits = MAX_LINE_EDITS): Hunk[] | null {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const script = editScript(a, b, maxEdits);
  return script === null ? null : hunksOf(script, a, b);
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** One step of the edit script: keep a[i] (= b[j]), remove a[i], or add b[j]. */
type Op = { op: ' '; i: number; j: number } | { op: '-'; i: number } | { op: '+'; j: number };

function editScript(a: string[], b: string[], maxEdits: number): Op[] | null {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail), maxEdits);
  if (middle === null) return null;
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ op: ' ', i: k, j: k });
  for (const o of middle) ops.push(o.op === ' ' ? { op: ' ', i: o.i + head, j: o.j + head } : o.op === '-' ? { op: '-', i: o.i + head } : { op: '+', j: o.j + head });
  for (let k = tail; k > 0; k--) ops.push({ op: ' ', i: a.length - k, j: b.length - k });
  return ops;
}

/** Myers (1986): the furthest-reaching path on each diagonal per number of edits, kept to walk back. */
function myers(a: string[], b: string[], maxEdits: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  const limit = Math.min(n + m, maxEdits);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) (x++, y++);
      v[offset + k] = x;
      if (x >= n && y >= m) return walkBack(trace, d, n, m);
    }
  }
  return null;
}

function walkBack(trace: Int32Array[], last: number, n: number, m: number): Op[] {
  const out: Op[] = [];
  let x = n;
  let y = m;
  for (let d = last; d > 0; d--) {
    // trace[d] holds v before step d, for diagonals -d-1 .. d+1 (index k + d + 1).
    const v = trace[d]!;
    const at = (k: number) => v[k + d + 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    // Where the edit of step d ended: the snake after it runs from there to (x, y).
    const editX = down ? prevX : prevX + 1;
    while (x > editX) out.push({ op: ' ', i: --x, j: --y });
    if (down) out.push({ op: '+', j: --y });
    else out.push({ op: '-', i: --x });
  }
  while (x > 0) out.push({ op: ' ', i: --x, j: --y });
  return out.reverse();
}

/** Groups the changed lines with CONTEXT lines around them; changes closer than that share a hunk. */
function hunksOf(ops: Op[], a: string[], b: string[]): Hunk[] {
  // Lines of each source before each op, for the hunks' start lines.
  const oldBefore = new Int32Array(ops.length + 1);
  const newBefore = new Int32Array(ops.length + 1);
  ops.forEach((o, i) => {
    oldBefore[i + 1] = oldBefore[i]! + (o.op === '+' ? 0 : 1);
    newBefore[i + 1] = newBefore[i]! + (o.op === '-' ? 0 : 1);
  });
  const changed = ops.flatMap((o, i) => (o.op === ' ' ? [] : [i]));
  const hunks: Hunk[] = [];
  for (let k = 0; k < changed.length; k++) {
    const start = Math.max(0, changed[k]! - CONTEXT);
    while (k + 1 < changed.length && changed[k + 1]! - changed[k]! <= 2 * CONTEXT) k++;
    const stop = Math.min(ops.length, changed[k]! + CONTEXT + 1);
    const lines = ops.slice(start, stop).map((o): DiffLine => ({ op: o.op, text: o.op === '+' ? b[o.j]! : a[o.i]! }));
    const oldLines = oldBefore[stop]! - oldBefore[start]!;
    const newLines = newBefore[stop]! - newBefore[start]!;
    // As unified diff writes it: an empty side starts at the line before.
    hunks.push({ old_start: oldBefore[start]! + (oldLines > 0 ? 1 : 0), old_lines: oldLines, new_start: newBefore[start]! + (newLines > 0 ? 1 : 0), new_lines: newLines, lines });
  }
  return hunks;
}
