/** Dates (SPEC §4.3): `YYYY-MM-DD`, and a real calendar date. */
import { createToken, EmbeddedActionsParser, Lexer, type IToken } from 'chevrotain';
import { lexError, parseError, tokenSpan } from './chevrotain-kit.js';
import { fail, ok, type FragmentError, type FragmentResult } from './result.js';

const Digits = createToken({ name: 'Digits', pattern: /[0-9]+/ });
const Dash = createToken({ name: 'Dash', pattern: /-/ });
const tokens = [Digits, Dash];
const lexer = new Lexer(tokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

class DateParser extends EmbeddedActionsParser {
  constructor() {
    super(tokens, { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  date = this.RULE('date', (): [IToken, IToken, IToken] => {
    const y = this.CONSUME(Digits);
    this.CONSUME(Dash);
    const m = this.CONSUME2(Digits);
    this.CONSUME2(Dash);
    const d = this.CONSUME3(Digits);
    return [y, m, d];
  });
}

const parser = new DateParser();
export const DATE_HELP = 'write dates as `YYYY-MM-DD`, for example `2022-06-01`';

export function parseDate(text: string): FragmentResult<string> {
  const lexed = lexer.tokenize(text);
  if (lexed.errors.length > 0) return fail([lexError(text, lexed.errors[0]!, DATE_HELP)]);
  parser.input = lexed.tokens;
  const parts = parser.date();
  if (parser.errors.length > 0) return fail([parseError(text, parser.errors[0]!, 'a date `YYYY-MM-DD`', DATE_HELP)]);
  const [y, m, d] = parts;
  const errors: FragmentError[] = [];
  const year = Number(y.image);
  const month = Number(m.image);
  const day = Number(d.image);
  const padded = `${y.image.padStart(4, '0')}-${m.image.padStart(2, '0')}-${d.image.padStart(2, '0')}`;
  const help = /^\d{4}-\d{2}-\d{2}$/.test(padded) && padded !== text ? `did you mean \`${padded}\`?` : DATE_HELP;
  if (y.image.length !== 4) errors.push({ message: `the year must have four digits, found \`${y.image}\``, ...tokenSpan(text, y), help });
  else if (year === 0) errors.push({ message: 'year `0000` does not exist', ...tokenSpan(text, y), help: DATE_HELP });
  if (m.image.length !== 2) errors.push({ message: `the month must have two digits, found \`${m.image}\``, ...tokenSpan(text, m), help });
  else if (month < 1 || month > 12) errors.push({ message: `month \`${m.image}\` is out of range 01..12`, ...tokenSpan(text, m), help: DATE_HELP });
  if (d.image.length !== 2) errors.push({ message: `the day must have two digits, found \`${d.image}\``, ...tokenSpan(text, d), help });
  else if (errors.length === 0 && (day < 1 || day > daysIn(year, month))) {
    errors.push({
      message: `\`${text}\` is not a calendar date: ${monthName(month)} ${year} has ${daysIn(year, month)} days`,
      ...tokenSpan(text, d),
      help: DATE_HELP,
    });
  }
  return errors.length > 0 ? fail(errors) : ok(text);
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function monthName(month: number): string {
  return ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][month - 1]!;
}
