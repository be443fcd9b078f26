/**
 * What the program builder needs to know about a parsed source (parse.ts): the one-character
 * look-arounds it can turn into predicates, widths, nullability, captures, anchoring.
 */
import type { CharSet } from '../unicode/charset.js';
import type { RxNode } from './parse.js';

export type RawShape = { set: CharSet | null; end: boolean };

/**
 * The ways a look-around body can hold when it reads at most the one character on its side, or null
 * when it reads more (or holds back-references, nested look-arounds, captures used elsewhere...).
 */
export function lookShapes(n: RxNode, ahead: boolean): RawShape[] | null {
  const shapes = shapesOf(n, ahead);
  return shapes && shapes.length <= 16 ? shapes : null;
}

function shapesOf(n: RxNode, ahead: boolean): RawShape[] | null {
  switch (n.type) {
    case 'set':
      return [{ set: n.set, end: false }];
    case 'edge':
      return ahead && n.kind === 'end' ? [{ set: null, end: true }] : null;
    case 'group':
      return shapesOf(n.body, ahead);
    case 'alt': {
      const out: RawShape[] = [];
      for (const b of n.branches) {
        const s = shapesOf(b, ahead);
        if (!s) return null;
        out.push(...s);
      }
      return out;
    }
    case 'seq': {
      let acc: RawShape[] | null = [{ set: null, end: false }];
      for (const item of ahead ? n.items : [...n.items].reverse()) {
        const s = shapesOf(item, ahead);
        if (!s || !acc) return null;
        acc = concatShapes(acc, s);
      }
      return acc;
    }
    case 'repeat': {
      if (n.max === 0) return [{ set: null, end: false }];
      const s = shapesOf(n.body, ahead);
      if (!s) return null;
      const widthless = s.every((x) => x.set === null);
      if (n.max > 1 && !widthless) return null;
      return n.min === 0 ? [...s, { set: null, end: false }] : s;
    }
    default:
      return null;
  }
}

/** `a` then `b`, reading away from the position; null when that reads two characters. */
function concatShapes(a: RawShape[], b: RawShape[]): RawShape[] | null {
  const out: RawShape[] = [];
  for (const p of a) {
    for (const q of b) {
      if (p.end && q.set !== null) continue; // nothing follows the end
      if (p.set !== null && q.set !== null) return null;
      out.push({ set: p.set ?? q.set, end: p.end || q.end });
    }
  }
  return out;
}

export function nullable(n: RxNode): boolean {
  switch (n.type) {
    case 'set':
      return false;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.branches.some(nullable);
    case 'group':
      return nullable(n.body);
    case 'repeat':
      return n.min === 0 || nullable(n.body);
    default:
      return true;
  }
}

/** The first and last capture slots inside `n`, or null. */
export function captureRange(n: RxNode): [number, number] | null {
  let lo = Infinity;
  let hi = -1;
  const walk = (m: RxNode): void => {
    if (m.type === 'group' && m.capture !== null) {
      lo = Math.min(lo, m.capture);
      hi = Math.max(hi, m.capture);
    }
    if ('body' in m) walk(m.body);
    if (m.type === 'seq') m.items.forEach(walk);
    if (m.type === 'alt') m.branches.forEach(walk);
  };
  walk(n);
  return hi < 0 ? null : [2 * lo, 2 * hi + 1];
}

/** Each group's fixed width (or null), in pattern order, as Python's parser records them. */
export function groupWidthsOf(root: RxNode): Map<number, number | null> {
  const widths = new Map<number, number | null>();
  const walk = (m: RxNode): void => {
    if ('body' in m) walk(m.body);
    if (m.type === 'seq') m.items.forEach(walk);
    if (m.type === 'alt') m.branches.forEach(walk);
    if (m.type === 'group' && m.capture !== null) widths.set(m.capture, fixedWidth(m.body, widths));
  };
  walk(root);
  return widths;
}

/** Code points `n` always matches, or null when that varies. */
export function fixedWidth(n: RxNode, groups: Map<number, number | null>): number | null {
  switch (n.type) {
    case 'set':
      return 1;
    case 'edge':
    case 'look':
      return 0;
    case 'backref':
      return groups.get(n.group) ?? null;
    case 'group':
      return fixedWidth(n.body, groups);
    case 'seq': {
      let w = 0;
      for (const item of n.items) {
        const v = fixedWidth(item, groups);
        if (v === null) return null;
        w += v;
      }
      return w;
    }
    case 'alt': {
      const ws = n.branches.map((b) => fixedWidth(b, groups));
      return ws.every((w) => w !== null && w === ws[0]) ? ws[0]! : null;
    }
    case 'repeat': {
      const w = fixedWidth(n.body, groups);
      if (w === null) return null;
      if (w === 0 || n.max === 0) return 0;
      return n.min === n.max ? w * n.min : null;
    }
  }
}

/** Every match begins with `^`. */
export function anchoredAtStart(n: RxNode): boolean {
  switch (n.type) {
    case 'edge':
      return n.kind === 'start';
    case 'seq':
      return n.items.length > 0 && anchoredAtStart(n.items[0]!);
    case 'alt':
      return n.branches.every(anchoredAtStart);
    case 'group':
      return anchoredAtStart(n.body);
    case 'repeat':
      return n.min > 0 && anchoredAtStart(n.body);
    default:
      return false;
  }
}
