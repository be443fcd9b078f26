/** A small grammar of Python patterns for fast-check, biased towards the constructs that differ. */
import fc from 'fast-check';

/** Subjects' alphabet: newlines, case-folding oddities, digits of other scripts, `/`. */
export const TRICKY = [
  'a', 'b', 'A', 'B', 'i', 'I', 's', 'S', 'k', 'K', 'x', '1', '_', ' ', '/', '.', '-',
  '\n', '\r', '\u2028', '\x1c', '\ufeff', '\u00a0',
  'ß', 'ẞ', 'ſ', '\u212a', 'İ', 'ı', 'σ', 'ς', 'Σ', 'µ', 'μ', 'é', 'É', 'ǅ', 'ʰ',
  '٣', '²', '𝟙', '𐐀', '𐐨', '\ua7cb', '\u0264', '{', '#',
];

const literal = fc.constantFrom(
  'a', 'b', 'A', 'i', 'I', 's', 'k', 'K', 'x', '1', '_', ' ', '/', '-', ',', ':', 'ß', 'ſ', '\u212a', 'İ', 'ı',
  'σ', 'Σ', 'ς', 'µ', 'é', 'ǅ', '٣', '𐐀', '𐐨', '\u0264', '\\.', '\\n', '\\t', '\\x41', '\\u00e9', '\\U0001d7d9',
  '\\101', '\\0', '\\-', '\\/', '\\\\', '#', '{', '}', '\\{', ']', '\n', ' # c\n', '\\ ', '\\#',
);
const special = fc.constantFrom(
  '.', '^', '$', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '\\b', '\\B', '\\A', '\\Z',
);
const broken = fc.constantFrom(')', '(', '[', '*', '\\', '\\q', '\\8', '(?', '(?P', '\\x4', '[z-a]', '(?<n>a)', '{1,2');
const member = fc.constantFrom(
  'a', 'z', 'A', 'i', 'K', 's', 'ß', 'ſ', 'İ', 'σ', '/', '-', '^', ']', '\\]', '\\d', '\\w', '\\s', '\\W', '\\D', '\\S',
  'a-z', 'A-Z', '0-9', 'i-k', 'ß-ſ', 'Σ-σ', '\\u0100-\\u017f', '\\b', '\\n', '𐐀', '𐐨', '\\U00010400-\\U00010428', '\\x00-\\x7f',
);
const charClass = fc
  .tuple(fc.boolean(), fc.array(member, { minLength: 1, maxLength: 3 }))
  .map(([neg, ms]) => `[${neg ? '^' : ''}${ms.join('')}]`);
const quant = fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,2}', '{,2}', '{2,}', '{0}', '*?', '+?', '??', '{1,2}?', '*+', '{');
const groupOpen = fc.constantFrom(
  '(', '(', '(?:', '(?P<g>', '(?=', '(?!', '(?<=', '(?<!', '(?i:', '(?-i:', '(?s:', '(?m:', '(?a:', '(?>', '(?#c)(',
  '(?u:', '(?ai:', '(?i-s:', '(?x:', '(?(1)',
);
const backref = fc.constantFrom('\\1', '\\2', '(?P=g)');

export const pattern: fc.Arbitrary<string> = fc.letrec<{ alt: string; seq: string; item: string; atom: string }>((tie) => ({
  alt: fc.oneof(
    { weight: 4, arbitrary: tie('seq') },
    { weight: 1, arbitrary: fc.tuple(tie('seq'), tie('seq')).map(([a, b]) => `${a}|${b}`) },
  ),
  seq: fc.array(tie('item'), { minLength: 0, maxLength: 4 }).map((xs) => xs.join('')),
  item: fc.tuple(tie('atom'), quant).map(([a, q]) => a + q),
  atom: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'regex' },
    { weight: 6, arbitrary: literal },
    { weight: 3, arbitrary: special },
    { weight: 2, arbitrary: charClass },
    { weight: 2, arbitrary: fc.tuple(groupOpen, tie('alt')).map(([o, b]) => `${o}${b})`) },
    { weight: 1, arbitrary: backref },
    { weight: 1, arbitrary: broken },
  ),
})).alt;

export const flagPrefix = fc.constantFrom('', '', '', '(?i)', '(?m)', '(?s)', '(?a)', '(?x)', '(?x)', '(?ms)', '(?u)', '(?L)', '(?ai)', '(?x) (?s)', '(?au)');

export const subject = fc.array(fc.constantFrom(...TRICKY), { minLength: 0, maxLength: 7 }).map((xs) => xs.join(''));
