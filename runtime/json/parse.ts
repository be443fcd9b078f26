/**
 * Strict JSON for request bodies (SPEC 6). `JSON.parse` accepts what a second reader may read
 * differently: it decodes invalid UTF-8 to U+FFFD, keeps the last of two equal keys (another
 * parser keeps the first) and lets `\ud800` through as a lone surrogate. This parser refuses all
 * three and says where (the field's path, or the line and column for syntax).
 *
 * Every decision request goes through it (issue 15), so a body is first read by `JSON.parse`
 * with two cheap checks that prove the strict reader would read the same value: no `\uD8..`-
 * `\uDF..` escape (the only way a lone surrogate can reach a string of valid UTF-8), and as many
 * `:` in the text as keys in the value (a `:` is either a member's or inside a string, and a
 * duplicate leaves one key for two members, so equality holds only with neither). Anything else
 * (a failure, a surrogate escape, a colon in a string, deep nesting) is read by the strict reader,
 * which then gives the answer and the message.
 */
import { isUtf8 } from 'node:buffer';

export class JsonInputError extends Error {
  /** `field` is a path such as `auth_meta[0].meta`, or null when the problem is not in one field. */
  constructor(
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
/** Deeper values go to the strict reader (which recurses, so depth is where the two could differ). */
const QUICK_DEPTH = 64;

/** Appends a key or an index to a field path (`a`, `a.b`, `a[0]`). */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function parseStrictJson(bytes: Buffer): unknown {
  if (bytes.length === 0) throw new JsonInputError('the body is empty: send the request as a JSON object', null);
  if (!isUtf8(bytes)) throw new JsonInputError('the body is not valid UTF-8', null);
  const text = bytes.toString('utf8');
  return quickRead(text) ?? strictRead(text);
}

/** The strict reader itself: what parseStrictJson answers for a text of valid UTF-8. */
export function strictRead(text: string): unknown {
  return new Reader(text).document();
}

/** JSON.parse's value when the strict reader would read the same, else undefined (see the top). */
function quickRead(text: string): unknown {
  if (SURROGATE_ESCAPE.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const keys = keyCount(value, 0);
  return keys >= 0 && keys === colons(text) ? value : undefined;
}

/** Keys of every object in `v`, or -1 when it nests deeper than QUICK_DEPTH. */
function keyCount(v: unknown, depth: number): number {
  if (v === null || typeof v !== 'object') return 0;
  if (depth === QUICK_DEPTH) return -1;
  const items = Array.isArray(v) ? v : Object.values(v);
  let n = Array.isArray(v) ? 0 : items.length;
  for (const x of items) {
    const k = keyCount(x, depth + 1);
    if (k < 0) return -1;
    n += k;
  }
  return n;
}

function colons(text: string): number {
  let n = 0;
  for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) n++;
  return n;
}

class Reader {
  private i = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    this.space();
    const v = this.value('');
    this.space();
    if (this.i < this.text.length) this.fail('unexpected text after the JSON value');
    return v;
  }

  private value(path: string): unknown {
    const c = this.text[this.i];
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return this.string(path);
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail(c === undefined ? 'the JSON ends too early' : `unexpected \`${c}\``);
    this.i += m![0].length;
    return Number(m![0]);
  }

  private object(path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    this.i++;
    this.space();
    if (this.eat('}')) return out;
    for (;;) {
      if (this.text[this.i] !== '"') this.fail('expected a key in double quotes');
      const key = this.string(path);
      const here = fieldPath(path, key);
      if (seen.has(key)) throw new JsonInputError(`\`${here}\` is given twice (each key may appear once)`, here);
      seen.add(key);
      this.space();
      if (!this.eat(':')) this.fail('expected `:` after a key');
      this.space();
      // defineProperty: a key named `__proto__` is data, not the prototype.
      Object.defineProperty(out, key, { value: this.value(here), enumerable: true, writable: true, configurable: true });
      this.space();
      if (this.eat('}')) return out;
      if (!this.eat(',')) this.fail('expected `,` or `}`');
      this.space();
    }
  }

  private array(path: string): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.space();
    if (this.eat(']')) return out;
    for (;;) {
      out.push(this.value(fieldPath(path, out.length)));
      this.space();
      if (this.eat(']')) return out;
      if (!this.eat(',')) this.fail('expected `,` or `]`');
      this.space();
    }
  }

  private string(path: string): string {
    const start = this.i;
    let j = start + 1;
    for (;;) {
      const c = this.text.charCodeAt(j);
      if (Number.isNaN(c)) this.fail('a string is not closed');
      if (c === 0x22) break;
      j += c === 0x5c ? 2 : 1;
    }
    this.i = j + 1;
    let s: string;
    try {
      // The native parser decodes the escapes and refuses raw control characters.
      s = JSON.parse(this.text.slice(start, j + 1)) as string;
    } catch {
      this.i = start;
      this.fail('invalid string (a control character or a bad escape)');
    }
    if (LONE_SURROGATE.test(s!)) throw new JsonInputError(`${path === '' ? 'a key' : `\`${path}\``} holds a lone surrogate (\\ud800-\\udfff without its pair)`, path || null);
    return s!;
  }

  private space(): void {
    WHITESPACE.lastIndex = this.i;
    WHITESPACE.exec(this.text);
    this.i = WHITESPACE.lastIndex;
  }

  private eat(c: string): boolean {
    if (this.text[this.i] !== c) return false;
    this.i++;
    return true;
  }

  private fail(reason: string): never {
    const before = this.text.slice(0, this.i);
    const line = before.split('\n').length;
    const column = this.i - before.lastIndexOf('\n');
    throw new JsonInputError(`the body is not valid JSON: ${reason} at line ${line}, column ${column}`, null);
  }
}
