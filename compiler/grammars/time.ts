/**
 * Times of day (SPEC §4.3): `H[:MM[:SS]]`, optional `am`/`pm`, optional zone `Z` or `±HH:MM`,
 * or a zone abbreviation that the reference ignores (accepted, with a warning).
 */
import { createToken, EmbeddedActionsParser, Lexer, type IToken } from 'chevrotain';
import { lexError, parseError, tokenSpan } from './chevrotain-kit.js';
import type { TimeOfDayIR } from '../ir/types.js';
import { fail, type FragmentError, type FragmentResult } from './result.js';

const Digits = createToken({ name: 'Digits', pattern: /[0-9]+/ });
const Colon = createToken({ name: 'Colon', pattern: /:/ });
const Sign = createToken({ name: 'Sign', pattern: /[+-]/ });
// `8:00amZ` is am + Z, but `8:00 amt` is one (unknown) word.
const Meridiem = createToken({ name: 'Meridiem', pattern: /[aApP][mM](?=Z?(?![A-Za-z]))/ });
const Zulu = createToken({ name: 'Zulu', pattern: /Z(?![A-Za-z])/ });
const Word = createToken({ name: 'Word', pattern: /[A-Za-z]+/ });
const Space = createToken({ name: 'Space', pattern: /[ \t]+/ });
const tokens = [Digits, Colon, Sign, Meridiem, Zulu, Word, Space];
const lexer = new Lexer(tokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

interface Suffix {
  kind: 'word' | 'offset';
  token: IToken;
  digits?: [IToken, IToken];
  end: number;
}
interface TimeCst {
  hour: IToken;
  minute?: IToken;
  second?: IToken;
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
    this.OPTION(() => {
      this.CONSUME(Colon);
      minute = this.CONSUME2(Digits);
      this.OPTION2(() => {
        this.CONSUME2(Colon);
        second = this.CONSUME3(Digits);
      });
    });
    const suffixes: Suffix[] = [];
    this.MANY(() => {
      this.OPTION3(() => this.CONSUME(Space));
      suffixes.push(
        this.OR([
          ...[Meridiem, Zulu, Word].map((tok) => ({
            ALT: () => {
              const t = this.CONSUME(tok);
              return { kind: 'word' as const, token: t, end: t.startOffset + t.image.length };
            },
          })),
          {
            ALT: () => {
              const t = this.CONSUME(Sign);
              const h = this.CONSUME4(Digits);
              this.CONSUME3(Colon);
              const m = this.CONSUME5(Digits);
              return { kind: 'offset' as const, token: t, digits: [h, m] as [IToken, IToken], end: m.startOffset + m.image.length };
            },
          },
        ]),
      );
    });
    return { hour, minute, second, suffixes };
  });
}

const parser = new TimeParser();

export const TIME_HELP = 'valid times: `17:00`, `9:30`, `8:00am`, `5:15pm`, `17:00:30`, `09:00+04:00`, `17:00Z`';

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
  const err = (t: { start: number; end: number }, message: string) => errors.push({ message, ...t, help: TIME_HELP });
  const at = (t: IToken) => tokenSpan(text, t);

  let meridiem: { pm: boolean; token: IToken } | null = null;
  let offsetSeconds: number | null = null;
  let zoneSeen = false;
  for (const s of cst.suffixes) {
    const word = s.token.image;
    const span = { start: s.token.startOffset, end: s.end };
    if (s.kind === 'word' && /^(am|pm)$/i.test(word)) {
      if (meridiem || zoneSeen) err(span, `unexpected \`${word}\``);
      else meridiem = { pm: word.toLowerCase() === 'pm', token: s.token };
    } else if (zoneSeen) {
      err(span, `a time can have only one zone, found another: \`${text.slice(span.start, span.end)}\``);
    } else if (s.kind === 'word' && word === 'Z') {
      zoneSeen = true;
      offsetSeconds = 0;
    } else if (s.kind === 'word') {
      zoneSeen = true;
      if (!/^[A-Za-z]{2,6}$/.test(word)) err(span, `\`${word}\` is not a time zone`);
      else
        warnings.push({
          message: `the reference ignores the zone abbreviation \`${word}\` and reads this time in the server's time zone`,
          ...span,
          help: 'write the offset instead (for example `17:00-05:00`), or drop the abbreviation',
        });
    } else {
      zoneSeen = true;
      const [h, m] = s.digits!;
      if (h.image.length !== 2 || Number(h.image) > 23) err(at(h), `zone hours must be two digits 00..23, found \`${h.image}\``);
      if (m.image.length !== 2 || Number(m.image) > 59) err(at(m), `zone minutes must be two digits 00..59, found \`${m.image}\``);
      offsetSeconds = (word === '-' ? -1 : 1) * (Number(h.image) * 3600 + Number(m.image) * 60);
    }
  }

  const hourText = cst.hour.image;
  let hour = Number(hourText);
  if (hourText.length > 2) err(at(cst.hour), `hour \`${hourText}\` has too many digits`);
  else if (meridiem) {
    if (hour < 1 || hour > 12) err(at(cst.hour), `hour \`${hourText}\` with \`${meridiem.token.image}\` must be 1..12`);
    else hour = (hour % 12) + (meridiem.pm ? 12 : 0);
  } else if (hour > 23) err(at(cst.hour), `hour \`${hourText}\` is out of range 0..23`);
  const part = (t: IToken | undefined, name: string): number => {
    if (!t) return 0;
    if (t.image.length !== 2) err(at(t), `${name} must be two digits, found \`${t.image}\``);
    else if (Number(t.image) > 59) err(at(t), `${name} \`${t.image}\` is out of range 00..59`);
    return Number(t.image);
  };
  const minute = part(cst.minute, 'minutes');
  const second = part(cst.second, 'seconds');
  if (errors.length > 0) return fail(errors, warnings);
  return { value: { seconds: hour * 3600 + minute * 60 + second, offsetSeconds }, errors, warnings };
}
