/**
 * Python's `json.dumps(value, sort_keys=True, separators=(',', ':'), ensure_ascii=True)`, byte for byte.
 * SPEC §5 rule ids are the MD5 of this text, so any difference (float repr, escaping, key order) would
 * silently change an id and orphan the quota counts stored under it.
 */

/** A value as Python sees it: ints and floats are different types (`1` vs `1.0`). */
export type PyValue =
  | null
  | boolean
  | string
  | { py: 'int'; text: string }
  | { py: 'float'; value: number }
  | PyValue[]
  | { py: 'dict'; entries: Array<[string, PyValue]> };

export function pyInt(value: number | bigint): PyValue {
  return { py: 'int', text: typeof value === 'bigint' ? value.toString() : BigInt(value).toString() };
}

export function pyFloat(value: number): PyValue {
  return { py: 'float', value };
}

export function pyDict(entries: Array<[string, PyValue]>): PyValue {
  return { py: 'dict', entries };
}

/** Converts a plain JavaScript value; integral numbers become ints (callers that know better pass PyValues). */
export function fromPlain(value: unknown): PyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? pyInt(value) : pyFloat(value);
  if (typeof value === 'bigint') return pyInt(value);
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === 'object') return pyDict(Object.entries(value as object).map(([k, v]) => [k, fromPlain(v)]));
  return String(value);
}

export function pyJsonDumps(value: PyValue): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(',')}]`;
  if (value.py === 'int') return value.text;
  if (value.py === 'float') return pyFloatRepr(value.value);
  const entries = [...value.entries].sort((a, b) => compareCodePoints(a[0], b[0]));
  return `{${entries.map(([k, v]) => `${pyString(k)}:${pyJsonDumps(v)}`).join(',')}}`;
}

/** Python compares str by code point; JavaScript's default sort compares UTF-16 code units. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}

const SHORT_ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x08: '\\b', 0x0c: '\\f' };

/** `ensure_ascii`: everything outside ' '..'~' is escaped; UTF-16 units map 1:1 to Python's surrogate pairs. */
function pyString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const short = SHORT_ESCAPES[c];
    if (short !== undefined) out += short;
    else if (c >= 0x20 && c <= 0x7e) out += s[i];
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** `float.__repr__`: shortest round-trip digits, fixed notation for exponents -4..15, else `1e+16` style. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits, like Python's repr.
  const [mantissa, expText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = exp < 0 ? `-${String(-exp).padStart(2, '0')}` : `+${String(exp).padStart(2, '0')}`;
  return `${sign}${m}e${e}`;
}
