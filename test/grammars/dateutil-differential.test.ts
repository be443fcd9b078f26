/**
 * Times of day against the reference's own reader, python-dateutil (`parse(text).timetz()`): every
 * time we accept, dateutil accepts with the same time and zone (null = the server's zone), and an
 * abbreviation we warn about is one dateutil ignores. We may reject more than dateutil does (an
 * error that names the problem rather than a guess), but the common spellings must stay accepted.
 * Needs python3 with python-dateutil (as the reference does).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimeOfDay } from '../../compiler/grammars/time.js';

interface Reading {
  ok: boolean;
  seconds?: number;
  micro?: number;
  offset?: number | null;
  warned?: boolean;
}

const script = fileURLToPath(new URL('./dateutil-oracle.py', import.meta.url));

function askDateutil(texts: string[]): Reading[] {
  const run = spawnSync('python3', [script], { input: JSON.stringify(texts), encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`python3 is required for this test but could not run: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`dateutil-oracle.py failed (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Reading[];
}

/** Our reading against dateutil's, or null when they agree (or we reject). */
function disagreement(text: string, py: Reading): string | null {
  const ours = parseTimeOfDay(text);
  if (!ours.value) return null;
  const said = JSON.stringify(py);
  if (!py.ok) return `${JSON.stringify(text)}: we read ${JSON.stringify(ours.value)}, dateutil rejects it`;
  if (py.seconds !== ours.value.seconds || py.micro !== (ours.value.microseconds ?? 0) || py.offset !== ours.value.offsetSeconds) {
    return `${JSON.stringify(text)}: we read ${JSON.stringify(ours.value)}, dateutil ${said}`;
  }
  if ((ours.warnings.length > 0) !== py.warned) return `${JSON.stringify(text)}: our warnings ${JSON.stringify(ours.warnings.map((w) => w.message))}, dateutil ${said}`;
  return null;
}

const ZONES = ['', 'Z', 'z', 'UTC', 'GMT', 'utc', 'Utc', 'EST', 'CET', 'AEST', 'BST', 'ABCDEF', 'A', 'P', 'MON', 'MAY', 'AT', 'ZZ',
  '+03:00', '-05:00', '+0300', '-0530', '+03', '+3', '-0', '+3:00', '+03:0', '+24:00', '+23:59', '+300', '+0099', '-00:00', 'UTC+3', '+03:00 UTC', 'EST5'];

describe('times of day read as dateutil reads them', () => {
  it('agrees on a grid of spellings', () => {
    const texts: string[] = [];
    for (const body of ['17', '8', '0', '12', '13', '17:00', '8:5', '8:05', '08:00', '0:30', '12:30', '13:00', '23:59:59', '8:5:3', '24:00', '8:000',
      '10:00:00.5', '09:00:00.000001', '23:59:59.999999', '9:00:00.1234567', '9:00:00.', '9:00.5', '9:00:00,5', '12:00:00.05'])
      for (const meridiem of ['', 'am', 'pm', ' PM', ' aM', 'a', ' a.m.', 'p.m.', ' P.m.'])
        for (const zone of ZONES)
          for (const gap of ['', ' ']) texts.push(`${body}${meridiem}${zone && gap}${zone}`);
    const answers = askDateutil(texts);
    const failures = texts.map((t, k) => disagreement(t, answers[k]!)).filter((f) => f !== null);
    expect(failures.slice(0, 20)).toEqual([]);
    // The test proves little unless we accept much of what dateutil reads.
    const accepted = texts.filter((t) => parseTimeOfDay(t).value !== null).length;
    const dateutilReads = answers.filter((a) => a.ok).length;
    expect(accepted).toBeGreaterThan(dateutilReads * 0.4);
  });

  it('never reads a dotted meridiem otherwise than dateutil (we reject the spellings it reads oddly)', () => {
    const texts: string[] = [];
    for (const body of ['8', '8:00', '12:30:15.5'])
      for (const meridiem of [' A.M.', ' P.M.', ' p.M.', ' a.m', ' am.', ' a. m.', 'a.m.', ' p.m.'])
        for (const zone of ['', ' Z', 'UTC', ' EST', ' +02:00']) texts.push(`${body}${meridiem}${zone}`);
    const answers = askDateutil(texts);
    expect(texts.map((t, k) => disagreement(t, answers[k]!)).filter((f) => f !== null)).toEqual([]);
    expect(texts.filter((t) => parseTimeOfDay(t).value !== null).length).toBeGreaterThan(20);
  });

  it('agrees on generated spellings', () => {
    const digits = (max: number) => fc.integer({ min: 0, max }).chain((n) => fc.constantFrom(String(n), String(n).padStart(2, '0')));
    const text = fc.tuple(
      digits(25),
      fc.option(fc.tuple(digits(61), fc.option(digits(61), { nil: undefined })), { nil: undefined }),
      fc.constantFrom('', '', 'am', 'pm', ' am', ' PM', 'Pm', ' a.m.', 'p.m.', ' P.m.', ' P.M.'),
      fc.constantFrom('', '', ' '),
      fc.oneof(fc.constantFrom(...ZONES), fc.tuple(fc.constantFrom('+', '-'), digits(25), fc.option(digits(61), { nil: undefined })).map(([s, h, m]) => (m === undefined ? `${s}${h}` : `${s}${h}:${m}`))),
      fc.constantFrom('', '', '', '.5', '.000001', '.999999', '.25', '.1234567'),
    ).map(([h, ms, meridiem, gap, zone, fraction]) =>
      `${h}${ms ? `:${ms[0]}${ms[1] === undefined ? '' : `:${ms[1]}${fraction}`}` : ''}${meridiem}${zone && gap}${zone}`);
    const texts = fc.sample(text, { numRuns: Number(process.env.KSS_FUZZ_RUNS ?? 3000), seed: Number(process.env.KSS_FUZZ_SEED ?? 11) });
    const answers = askDateutil(texts);
    const failures = texts.map((t, k) => disagreement(t, answers[k]!)).filter((f) => f !== null);
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('reads `09:00:00.5` to the microsecond and `9:00 a.m.` as 9:00, as dateutil does (SPEC 4.3)', () => {
    const texts = ['09:00:00.5', '9:00 a.m.', '9:00 p.m.', '12 a.m.', '5:15:30.000001 P.m. -05:00'];
    expect(askDateutil(texts)).toMatchObject([
      { ok: true, seconds: 9 * 3600, micro: 500000, offset: null },
      { ok: true, seconds: 9 * 3600, micro: 0, offset: null },
      { ok: true, seconds: 21 * 3600, micro: 0, offset: null },
      { ok: true, seconds: 0, micro: 0, offset: null },
      { ok: true, seconds: 17 * 3600 + 15 * 60 + 30, micro: 1, offset: -5 * 3600 },
    ]);
    expect(texts.map((t) => parseTimeOfDay(t).value)).toEqual([
      { seconds: 9 * 3600, microseconds: 500000, offsetSeconds: null },
      { seconds: 9 * 3600, offsetSeconds: null },
      { seconds: 21 * 3600, offsetSeconds: null },
      { seconds: 0, offsetSeconds: null },
      { seconds: 17 * 3600 + 15 * 60 + 30, microseconds: 1, offsetSeconds: -5 * 3600 },
    ]);
  });

  it('rejects what it would have to guess at: a fraction of a minute, seven fraction digits', () => {
    expect(askDateutil(['9:00.5', '9:00:00.1234567'])).toMatchObject([{ ok: true, seconds: 9 * 3600 + 30 }, { ok: true, micro: 123456 }]);
    expect(parseTimeOfDay('9:00.5').value).toBeNull();
    expect(parseTimeOfDay('9:00:00.1234567').errors[0]!.message).toBe('a fraction of a second has at most 6 digits (microseconds), found 7');
  });

  it('rejects a bare number, which dateutil reads as a day of the month (midnight)', () => {
    const [answer] = askDateutil(['17']);
    expect(answer).toMatchObject({ ok: true, seconds: 0, offset: null });
    expect(parseTimeOfDay('17').errors[0]!.message).toContain('day 17 of the month');
  });

  it('rejects `5:00PMZ`, which dateutil reads as 5:00 with an ignored zone `PMZ`', () => {
    expect(askDateutil(['5:00PMZ'])).toMatchObject([{ ok: true, seconds: 5 * 3600, offset: null, warned: true }]);
    expect(parseTimeOfDay('5:00PMZ').errors[0]!.message).toContain('one zone abbreviation');
  });

  it('rejects `5:00pmZ`, which dateutil cannot read either', () => {
    expect(askDateutil(['5:00pmZ', '5:00pm Z'])).toMatchObject([{ ok: false }, { ok: true, seconds: 17 * 3600, offset: 0 }]);
    expect(parseTimeOfDay('5:00pmZ').value).toBeNull();
    expect(parseTimeOfDay('5:00pm Z').value).toEqual({ seconds: 17 * 3600, offsetSeconds: 0 });
  });
});
