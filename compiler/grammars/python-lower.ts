/**
 * Python's `str.lower()`, which the reference applies to the meta unless `case_sensitive`.
 * JavaScript's `toLowerCase()` differs: it follows a newer Unicode (letters added after Unicode 14
 * get lower cases Python does not know), and its final-sigma rule treats characters that are both
 * cased and case-ignorable (such as `ʰ`) differently. So this uses Python's own tables.
 */
import { CharSet } from './unicode/charset.js';
import { SIGMA_CASED, SIGMA_IGNORABLE, STR_LOWER } from './unicode/tables.js';

let lowerMap: Map<number, string> | undefined;
let cased: CharSet | undefined;
let ignorable: CharSet | undefined;

function table(): Map<number, string> {
  if (lowerMap) return lowerMap;
  lowerMap = new Map();
  for (const pair of STR_LOWER.split(',')) {
    const [a, b] = pair.split(':');
    lowerMap.set(parseInt(a!, 16), String.fromCodePoint(...b!.split('+').map((x) => parseInt(x, 16))));
  }
  return lowerMap;
}

const CAPITAL_SIGMA = 0x3a3;

export function pythonLower(s: string): string {
  // ASCII is the common case and lower-cases identically in both languages.
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  const map = table();
  const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
  let out = '';
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    if (cp === CAPITAL_SIGMA) out += finalSigma(cps, i) ? 'ς' : 'σ';
    else out += map.get(cp) ?? String.fromCodePoint(cp);
  }
  return out;
}

/** CPython's handle_capital_sigma: skip case-ignorables each way, then look at one character. */
function finalSigma(cps: number[], i: number): boolean {
  cased ??= CharSet.parse(SIGMA_CASED);
  ignorable ??= CharSet.parse(SIGMA_IGNORABLE);
  let j = i - 1;
  while (j >= 0 && ignorable.has(cps[j]!)) j--;
  if (j < 0 || !cased.has(cps[j]!)) return false;
  j = i + 1;
  while (j < cps.length && ignorable.has(cps[j]!)) j++;
  return j === cps.length || !cased.has(cps[j]!);
}
