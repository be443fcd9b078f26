/**
 * Times of day (SPEC §4.3), read as the reference reads them: it calls python-dateutil,
 * `dateutil.parser.parse(text).timetz()`, and puts a time without a zone in the server's zone.
 * We accept a subset of what dateutil accepts, and only where we give it dateutil's exact meaning
 * (`test/grammars/dateutil-differential.test.ts` asks dateutil itself); everything else is an error
 * that names the problem, never a guess:
 *   `H:M[:S[.f]]` (one or two digits each, a fraction of 1..6 digits: microseconds, as dateutil keeps
 *   them), `H` only with `am`/`pm`; then `am`/`pm` or `a.m.`/`p.m.` (any case, a space allowed
 *   before it); then a zone (a space allowed before it): `Z`/`z`/`UTC`/`GMT` (UTC), an offset
 *   `±H[H]`, `±HHMM`, `±H[H]:MM`, or an upper-case abbreviation of 2..5 letters, which dateutil
 *   ignores (with a warning: the time is then in the server's zone).
 */
import { createToken, EmbeddedActionsParser, Lexer, type IToken } from 'chevrotain';
import { lexError, parseError, tokenSpan } from './chevrotain-kit.js';
import type { TimeOfDayIR } from '../ir/types.js';
import { fail, type FragmentError, type FragmentResult } from './result.js';

const Digits = createToken({ name: 'Digits', pattern: /[0-9]+/ });
const Colon = createToken({ name: 'Colon', pattern: /:/ });
const Sign = createToken({ name: 'Sign', pattern: /[+-]/ });
// dateutil splits text where letters meet digits or punctuation, never inside a run of letters:
// `8:00amZ` is the one word `amZ` to it (and an error), so it is one Word here too.
const Word = createToken({ name: 'Word', pattern: /[A-Za-z]+/ });
const Space = createToken({ name: 'Space', pattern: /[ \t]+/ });
// `a.m.` is one word to dateutil (its lexer keeps dots inside words), so it is one token here; it
// comes first so that the lexer does not take its `a` for a Word.
const DottedMeridiem = createToken({ name: 'DottedMeridiem', pattern: /[ap]\.m\./i });
const Dot = createToken({ name: 'Dot', pattern: /\./ });
const tokens = [DottedMeridiem, Digits, Colon, Dot, Sign, Word, Space];
const lexer = new Lexer(tokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

interface Suffix {
  kind: 'word' | 'offset';
  token: IToken;
  digits?: [IToken, IToken | undefined];
  end: number;
}
interface TimeCst {
  hour: IToken;
  minute?: IToken;
  second?: IToken;
  fraction?: IToken;
  suffixes: Suffix[];
}

class TimeParser extends EmbeddedActionsParser {
  constructor() {
    super(tokens, { recoveryEnabled: false });
    this.performSelfAnalysis();
  }

  time = this.RULE('time', (): TimeCst => {
    const hour = this.CONSUME(Digits);
    let minute: IToken | undefined;
    let second: IToken | undefined;
    let fraction: IToken | undefined;
    this.OPTION(() => {
      this.CONSUME(Colon);
      minute = this.CONSUME2(Digits);
      this.OPTION2(() => {
        this.CONSUME2(Colon);
        second = this.CONSUME3(Digits);
        this.OPTION5(() => {
          this.CONSUME(Dot);
          fraction = this.CONSUME6(Digits);
        });
      });
    });
    const suffixes: Suffix[] = [];
    this.MANY(() => {
      this.OPTION3(() => this.CONSUME(Space));
      suffixes.push(
        this.OR([
          {
            ALT: () => {
              const t = this.CONSUME(Word);
              return { kind: 'word' as const, token: t, end: t.startOffset + t.image.length };
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(DottedMeridiem);
              return { kind: 'word' as const, token: t, end: t.startOffset + t.image.length };
            },
          },
          {
            ALT: () => {
              const t = this.CONSUME(Sign);
              const h = this.CONSUME4(Digits);
              let m: IToken | undefined;
              this.OPTION4(() => {
                this.CONSUME3(Colon);
                m = this.CONSUME5(Digits);
              });
              const last = m ?? h;
              return { kind: 'offset' as const, token: t, digits: [h, m] as [IToken, IToken | undefined], end: last.startOffset + last.image.length };
            },
          },
        ]),
      );
    });
    return { hour, minute, second, fraction, suffixes };
  });
}

const parser = new TimeParser();

export const TIME_HELP = 'valid times: `17:00`, `9:30`, `8:00am`, `5:15 p.m.`, `17:00:30`, `09:00:00.5`, `09:00+04:00`, `17:00Z`, `10:00 UTC`';

/** dateutil's names for UTC (parserinfo.UTCZONE), exactly as written there: `utc` is not one. */
const UTC_NAMES = new Set(['UTC', 'GMT', 'Z', 'z']);
/**
 * Upper-case words dateutil reads as something other than a zone name (parserinfo: AMPM, WEEKDAYS,
 * MONTHS, HMS, JUMP, PERTAIN), 2..5 letters: we do not guess what dateutil makes of them after a time.
 */
const DATEUTIL_WORDS = new Set(
  'AM PM MON TUE WED THU FRI SAT SUN JAN FEB MAR APR MAY JUN JUNE JUL JULY AUG SEP SEPT OCT NOV DEC MARCH APRIL HOUR HOURS AT ON AND AD ST ND RD TH OF'.split(' '),
);

export function parseTimeOfDay(text: string): FragmentResult<TimeOfDayIR> {
  const lexed = lexer.tokenize(text);
  if (lexed.errors.length > 0) return fail([lexError(text, lexed.errors[0]!, TIME_HELP)]);
  parser.input = lexed.tokens;
  const cst = parser.time();
  if (parser.errors.length > 0) {
    return fail([parseError(text, parser.errors[0]!, 'a time such as `17:00` or `8:00am`', TIME_HELP)]);
  }
  return evaluate(text, cst);
}

function evaluate(text: string, cst: TimeCst): FragmentResult<TimeOfDayIR> {
  const errors: FragmentError[] = [];
  const warnings: FragmentError[] = [];
  const err = (t: { start: number; end: number }, message: string, help = TIME_HELP) => errors.push({ message, ...t, help });
  const at = (t: IToken) => tokenSpan(text, t);

  let meridiem: { pm: boolean; token: IToken } | null = null;
  let offsetSeconds: number | null = null;
  let zoneSeen = false;
  for (const s of cst.suffixes) {
    const word = s.token.image;
    const span = { start: s.token.startOffset, end: s.end };
    if (s.kind === 'word' && /^[ap]\.M\.$/i.test(word) && word[2] === 'M') {
      // dateutil takes the capital `M.` for a zone name: `8 P.M.` is 20:00 with a warning, and a zone after it fails.
      err(span, `the reference (dateutil) reads the capital \`M\` of \`${word}\` as a zone abbreviation`, `write \`${word[0]!.toLowerCase()}.m.\``);
    } else if (s.kind === 'word' && /^([ap])\.?m\.?$/i.test(word)) {
      if (meridiem || zoneSeen) err(span, `unexpected \`${word}\`: \`am\`/\`pm\` comes once, right after the time`);
      else meridiem = { pm: word[0]!.toLowerCase() === 'p', token: s.token };
    } else if (zoneSeen) {
      err(span, `a time can have only one zone, found another: \`${text.slice(span.start, span.end)}\``);
    } else if (s.kind === 'word') {
      zoneSeen = true;
      offsetSeconds = wordZone(word, span, err, warnings);
    } else {
      zoneSeen = true;
      offsetSeconds = numericZone(s, word === '-' ? -1 : 1, at, err);
    }
  }

  const hourText = cst.hour.image;
  let hour = Number(hourText);
  if (!cst.minute && !meridiem) {
    // dateutil reads a lone number as a day of the month: the reference's time would be midnight.
    err(at(cst.hour), `\`${hourText}\` alone is not a time: the reference (dateutil) reads it as day ${hourText} of the month, that is midnight`, `write \`${hourText}:00\`${hour <= 12 ? ` or \`${hourText}am\`/\`${hourText}pm\`` : ''}`);
  } else if (hourText.length > 2) err(at(cst.hour), `hour \`${hourText}\` has too many digits`);
  else if (meridiem) {
    // dateutil: `0:30pm` is 12:30 and `12am` is midnight, so any hour 0..12 has one meaning.
    if (hour > 12) err(at(cst.hour), `hour \`${hourText}\` with \`${meridiem.token.image}\` must be 0..12`);
    else hour = (hour % 12) + (meridiem.pm ? 12 : 0);
  } else if (hour > 23) err(at(cst.hour), `hour \`${hourText}\` is out of range 0..23`);
  const part = (t: IToken | undefined, name: string): number => {
    if (!t) return 0;
    // dateutil reads `8:5` as 08:05; it also reads three digits, but as what is not worth guessing.
    if (t.image.length > 2) err(at(t), `${name} must be one or two digits, found \`${t.image}\``);
    else if (Number(t.image) > 59) err(at(t), `${name} \`${t.image}\` is out of range 00..59`);
    return Number(t.image);
  };
  const minute = part(cst.minute, 'minutes');
  const second = part(cst.second, 'seconds');
  const microseconds = cst.fraction ? fractionMicros(cst.fraction, at, err) : 0;
  if (errors.length > 0) return fail(errors, warnings);
  const time: TimeOfDayIR = { seconds: hour * 3600 + minute * 60 + second, offsetSeconds };
  if (microseconds > 0) time.microseconds = microseconds;
  return { value: time, errors, warnings };
}

/** `.5` is 500000 microseconds, as dateutil reads it; it keeps six digits, and we ask for no more. */
function fractionMicros(fraction: IToken, at: (t: IToken) => { start: number; end: number }, err: Report): number {
  if (fraction.image.length > 6) {
    err(at(fraction), `a fraction of a second has at most 6 digits (microseconds), found ${fraction.image.length}`);
    return 0;
  }
  return Number(fraction.image.padEnd(6, '0'));
}

type Report = (t: { start: number; end: number }, message: string, help?: string) => void;

/** A zone written as a word: UTC's names, or an abbreviation dateutil ignores. */
function wordZone(word: string, span: { start: number; end: number }, err: Report, warnings: FragmentError[]): number | null {
  if (UTC_NAMES.has(word)) return 0;
  const glued = /^([ap]m)([a-z]+)$/i.exec(word);
  const spaced = glued && `put a space between \`${glued[1]}\` and the zone: \`${glued[1]} ${glued[2]}\``;
  if (glued && /^[A-Z]{2,5}$/.test(word)) {
    err(span, `the reference (dateutil) reads \`${word}\` as one zone abbreviation, which it ignores, not as \`${glued[1]}\` and a zone`, spaced!);
  } else if (glued) {
    err(span, `the reference (dateutil) cannot read \`${word}\`: it is one word to it`, spaced!);
  } else if (/^[ap]$/i.test(word)) {
    err(span, `\`${word}\` is \`${word.toLowerCase()}m\` to the reference (dateutil)`, `write \`${word.toLowerCase()}m\``);
  } else if (/^(utc|gmt)$/i.test(word)) {
    err(span, `the reference (dateutil) knows UTC only as \`UTC\`, \`GMT\`, \`Z\` or \`z\`, not \`${word}\``, `write \`${word.toUpperCase()}\``);
  } else if (!/^[A-Z]{2,5}$/.test(word)) {
    err(span, `\`${word}\` is not a time zone the reference (dateutil) reads: a zone is \`Z\`, \`UTC\`, an offset such as \`+04:00\`, or an abbreviation of 2 to 5 capital letters`);
  } else if (DATEUTIL_WORDS.has(word)) {
    err(span, `\`${word}\` is not a time zone: the reference (dateutil) reads it as a word of a date`);
  } else {
    warnings.push({
      message: `the reference ignores the zone abbreviation \`${word}\` and reads this time in the server's time zone`,
      ...span,
      help: 'write the offset instead (for example `17:00-05:00`), or drop the abbreviation',
    });
  }
  return null;
}

/** `±H`, `±HH`, `±HHMM`, `±H:MM`, `±HH:MM`, as dateutil reads them; below 24 hours, as it requires. */
function numericZone(s: Suffix, sign: number, at: (t: IToken) => { start: number; end: number }, err: Report): number | null {
  const [h, m] = s.digits!;
  let hours: number;
  let minutes: IToken | string | undefined = m;
  if (!m && h.image.length === 4) {
    hours = Number(h.image.slice(0, 2));
    minutes = h.image.slice(2);
  } else if (h.image.length > 2) {
    err(at(h), `a zone offset is \`±HH:MM\`, \`±HHMM\` or \`±HH\`, found \`${h.image}\``);
    return null;
  } else hours = Number(h.image);
  const minuteText = typeof minutes === 'string' ? minutes : minutes?.image ?? '00';
  const minuteSpan = typeof minutes === 'object' ? at(minutes) : at(h);
  if (hours > 23) err(at(h), `zone hours \`${hours}\` are out of range 00..23`);
  if (minuteText.length !== 2 || Number(minuteText) > 59) err(minuteSpan, `zone minutes must be two digits 00..59, found \`${minuteText}\``);
  return sign * (hours * 3600 + Number(minuteText) * 60) + 0; // `-00:00` is 0, not -0
}
