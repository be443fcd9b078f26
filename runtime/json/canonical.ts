/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, as `Array.prototype.sort` does) at
 * every level, no whitespace, `undefined` members dropped, numbers and strings as `JSON.stringify`
 * writes them. One value has one text, so a hash or a signature over it does not depend on who
 * serialised it, and a stored text that is not canonical (duplicate keys, reordered keys) is
 * noticed by `isCanonicalJson`.
 *
 * It runs for every audit entry (issue 15), so it appends to one string instead of building
 * arrays with map/filter/join, and sorts only keys that are not in order already (the decision
 * entry's are). The text is the same as that of the plain recursive definition
 * (test/json/canonical.test.ts checks both against each other).
 */

import { jsonString } from './string.js';

export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return jsonString(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // A hole of a sparse array stays empty, as Array.prototype.map and join leave it.
      if (i in value) out += canonicalJson(value[i]);
    }
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (!ascending(keys)) keys.sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    out += (first ? '' : ',') + jsonString(k) + ':' + canonicalJson(v);
    first = false;
  }
  return out + '}';
}

/** Whether `keys` are in the order `sort()` would put them (code unit order; keys are distinct). */
function ascending(keys: string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/**
 * True when `text` is exactly the canonical form of what it parses to. A text with a duplicate
 * key parses to one value per key (the last), so its canonical form differs from it: readers that
 * keep the first and readers that keep the last can no longer disagree about a row.
 */
export function isCanonicalJson(text: string): boolean {
  try {
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}
