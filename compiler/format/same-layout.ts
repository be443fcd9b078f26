/**
 * Whether two yaml Documents are written alike: `toString` with the same options gives the same text.
 * The formatter uses it to know that a pass over its own output would write that output again
 * without writing it (issue 15: a `toString` of a 5,000-line policy is ~15-30 ms).
 *
 * Why it is sound: `toString` is a function of the Document's nodes and nothing else (the yaml
 * package's stringify reads node properties and the Document's directives, comments, options and
 * schema; it reads neither `range` nor `srcToken`, and it mutates nothing). Here every node of one
 * is compared with the node at the same place in the other: the same class, and every own
 * enumerable property but those two equal (scalars' values by `Object.is`, so `0` and `-0` differ;
 * a property set to `undefined` counts as absent, as stringify reads it). Anything this does not
 * know how to compare (a Date, a Map...) counts as different, and the caller writes the text.
 */
import { isDeepStrictEqual } from 'node:util';
import { isNode, isPair } from 'yaml';
import type { Document } from 'yaml';

/** Where a node was read from: stringify never looks at them. */
const SOURCE_POSITIONS = new Set(['range', 'srcToken']);

export function sameLayout(a: Document.Parsed, b: Document.Parsed): boolean {
  return (
    a.commentBefore === b.commentBefore &&
    a.comment === b.comment &&
    a.errors.length === 0 &&
    b.errors.length === 0 &&
    // The options decide the schema (its tags and toString defaults): equal options, equal schemas.
    isDeepStrictEqual(a.options, b.options) &&
    Object.getPrototypeOf(a.directives) === Object.getPrototypeOf(b.directives) &&
    isDeepStrictEqual({ ...a.directives }, { ...b.directives }) &&
    same(a.contents, b.contents)
  );
}

function same(x: unknown, y: unknown): boolean {
  if (Object.is(x, y)) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return false;
  if (Array.isArray(x)) {
    const other = y as unknown[];
    if (x.length !== other.length) return false;
    for (let i = 0; i < x.length; i++) if (!same(x[i], other[i])) return false;
    return true;
  }
  if (!isNode(x) && !isPair(x)) return false;
  const left = x as unknown as Record<string, unknown>;
  const right = y as unknown as Record<string, unknown>;
  let count = 0;
  for (const key of Object.keys(left)) {
    if (SOURCE_POSITIONS.has(key) || left[key] === undefined) continue;
    count++;
    if (!same(left[key], right[key])) return false;
  }
  for (const key of Object.keys(right)) if (!SOURCE_POSITIONS.has(key) && right[key] !== undefined) count--;
  return count === 0;
}
