/**
 * The little languages inside argument values (times, dates, path patterns, regexes), read once per
 * analysis: `analyzePolicy` creates one `Fragments`, the checks read through it and lowering gets the
 * same one, so a policy's fragments are parsed once and both see the very same results (never mutate
 * them). Also the one map from offsets inside a string value to the file.
 */
import type { Range } from '../diagnostics.js';
import type { PolicyAst, ValueNode } from '../source/ast.js';
import { fail, type FragmentResult } from '../grammars/result.js';
import { parseTimeOfDay } from '../grammars/time.js';
import { parseDate } from '../grammars/date.js';
import { translatePathPattern } from '../grammars/path-pattern.js';
import { translatePythonRegex } from '../grammars/python-regex.js';
import type { MetaPatternIR, TimeOfDayIR } from '../ir/types.js';

/** The reference reads the first character of every pattern (`ent[0]`): it cannot load an empty one. */
const EMPTY_REGEX = fail<MetaPatternIR>([{
  message: 'an empty regex: the reference cannot load it',
  start: 0,
  end: 0,
  help: 'remove it; to match every path, write `.`',
}]);

export class Fragments {
  private readonly memo = new Map<string, FragmentResult<unknown>>();

  time(text: string): FragmentResult<TimeOfDayIR> {
    return this.cached(`time\u0000${text}`, () => parseTimeOfDay(text));
  }

  date(text: string): FragmentResult<string> {
    return this.cached(`date\u0000${text}`, () => parseDate(text));
  }

  /** A meta-rule pattern translated to a JavaScript RegExp, by (kind, text, case sensitivity). */
  pattern(kind: 'path' | 'regex', text: string, caseSensitive: boolean): FragmentResult<MetaPatternIR> {
    return this.cached(`${kind}\u0000${caseSensitive ? 1 : 0}\u0000${text}`, () => {
      if (kind === 'path') return translatePathPattern(text, caseSensitive);
      return text === '' ? EMPTY_REGEX : translatePythonRegex(text, caseSensitive);
    });
  }

  private cached<T>(key: string, compute: () => FragmentResult<T>): FragmentResult<T> {
    let result = this.memo.get(key) as FragmentResult<T> | undefined;
    if (result === undefined) this.memo.set(key, (result = compute()));
    return result;
  }
}

/**
 * Maps offsets inside a scalar's string value to the file. Plain and quoted scalars whose text
 * between the quotes is the value itself map exactly; escapes, folding or aliases fall back to the
 * whole value, which is still the right place, only less precise.
 */
export function fragmentRange(ast: PolicyAst, value: ValueNode, start: number, end: number): Range {
  const source = value.sourceText;
  const text = value.value;
  // Through an alias, the text lives at the anchor while the range is the alias site: no exact map.
  const ownText = value.sourceStart === value.range.start.offset;
  if (typeof text === 'string' && text.length > 0 && source !== undefined && ownText) {
    const quoted = !value.plain && (source.startsWith("'") || source.startsWith('"'));
    const inner = quoted ? source.slice(1, -1) : source;
    if (inner === text) {
      const base = value.range.start.offset + (quoted ? 1 : 0);
      // A zero-width error (e.g. "expected a digit" at the end) still gets one visible character.
      const from = Math.max(0, Math.min(start, text.length));
      const to = Math.max(from, Math.min(end, text.length));
      const last = to === from ? Math.min(from + 1, text.length) : to;
      return ast.lines.range(base + from, base + Math.max(last, from));
    }
  }
  return value.range;
}
