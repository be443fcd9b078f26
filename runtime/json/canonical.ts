/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, as `Array.prototype.sort` does) at
 * every level, no whitespace, `undefined` members dropped, numbers and strings as `JSON.stringify`
 * writes them. One value has one text, so a hash or a signature over it does not depend on who
 * serialised it, and a stored text that is not canonical (duplicate keys, reordered keys) is
 * noticed by `isCanonicalJson`.
 */

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
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
