import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDate } from '../../compiler/grammars/date.js';
import { parseTimeOfDay, TIME_HELP } from '../../compiler/grammars/time.js';

describe('parseTimeOfDay (SPEC §4.3)', () => {
  const valid: [string, number, number | null][] = [
    ['8:00am', 8 * 3600, null],
    ['17:00', 17 * 3600, null],
    ['09:00+04:00', 9 * 3600, 4 * 3600],
    ['5:00pm', 17 * 3600, null],
    ['12:30am', 30 * 60, null],
    ['12:15pm', 12 * 3600 + 15 * 60, null],
    ['11:45pm', 23 * 3600 + 45 * 60, null],
    ['9am', 9 * 3600, null],
    ['9 PM', 21 * 3600, null],
    ['0:00', 0, null],
    ['23:59:59', 86399, null],
    ['17:00Z', 17 * 3600, 0],
    ['19:45+00:00', 19 * 3600 + 45 * 60, 0],
    ['06:30-05:30', 6 * 3600 + 30 * 60, -(5 * 3600 + 30 * 60)],
    ['8:00 AM', 8 * 3600, null],
    ['1:45PM', 13 * 3600 + 45 * 60, null],
    ['8:00am Z', 8 * 3600, 0],
    ['8:00pm+01:00', 20 * 3600, 3600],
    // What dateutil reads, with its meaning (dateutil-differential.test.ts asks dateutil itself).
    ['10:00 UTC', 10 * 3600, 0],
    ['10:00UTC', 10 * 3600, 0],
    ['10:00 GMT', 10 * 3600, 0],
    ['10:00z', 10 * 3600, 0],
    ['10:00 Z', 10 * 3600, 0],
    ['5:00pm UTC', 17 * 3600, 0],
    ['17:00+0300', 17 * 3600, 3 * 3600],
    ['17:00+03', 17 * 3600, 3 * 3600],
    ['17:00+3', 17 * 3600, 3 * 3600],
    ['17:00+4:00', 17 * 3600, 4 * 3600],
    ['17:00 -05:00', 17 * 3600, -5 * 3600],
    ['17:00 -0530', 17 * 3600, -(5 * 3600 + 30 * 60)],
    ['17:00-00:00', 17 * 3600, 0],
    ['10:00+23:59', 10 * 3600, 23 * 3600 + 59 * 60],
    ['5pm-05:00', 17 * 3600, -5 * 3600],
    ['0:30pm', 12 * 3600 + 30 * 60, null],
    ['0:30am', 30 * 60, null],
    ['0pm', 12 * 3600, null],
    ['12am', 0, null],
    ['8:5', 8 * 3600 + 5 * 60, null],
    ['8:5:3', 8 * 3600 + 5 * 60 + 3, null],
    ['8:00 aM', 8 * 3600, null],
    ['8:00\tpm', 20 * 3600, null],
  ];
  it.each(valid)('%s', (text, seconds, offsetSeconds) => {
    expect(parseTimeOfDay(text)).toEqual({ value: { seconds, offsetSeconds }, errors: [], warnings: [] });
  });

  it('accepts a zone abbreviation with the server-zone meaning and a warning on the abbreviation', () => {
    const r = parseTimeOfDay('5:00pm EST');
    expect(r.value).toEqual({ seconds: 17 * 3600, offsetSeconds: null });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ start: 7, end: 10 });
    expect(r.warnings[0]!.message).toContain("ignores the zone abbreviation `EST` and reads this time in the server's time zone");
  });

  const invalid: [string, number, number, RegExp][] = [
    ['24:00', 0, 2, /hour `24` is out of range 0\.\.23/],
    ['13:00pm', 0, 2, /hour `13` with `pm` must be 0\.\.12/],
    ['13pm', 0, 2, /hour `13` with `pm` must be 0\.\.12/],
    ['8:60', 2, 4, /minutes `60` is out of range/],
    ['8:000', 2, 5, /minutes must be one or two digits/],
    ['12:00:61', 6, 8, /seconds `61` is out of range/],
    ['17:00+04:75', 9, 11, /zone minutes/],
    ['17:00+0475', 6, 10, /zone minutes/],
    ['17:00+04:0', 9, 10, /zone minutes must be two digits/],
    ['17:00+24:00', 6, 8, /zone hours `24` are out of range/],
    ['17:00+300', 6, 9, /a zone offset is/],
    ['garbage', 0, 7, /expected a time/],
    ['', 0, 0, /found end of text/],
    ['17:00 Z EST', 8, 11, /only one zone/],
    ['10:00 +03:00 UTC', 13, 16, /only one zone/],
    ['10:00 UTC+3', 9, 11, /only one zone/],
    ['5:00pm am', 7, 9, /unexpected `am`/],
    ['5:00-05:00pm', 10, 12, /unexpected `pm`/],
    ['17h00', 3, 5, /expected a time such as `17:00` or `8:00am`, found `00`/],
    ['17:00!', 5, 6, /unexpected `!`/],
    ['17:00 ', 6, 6, /found end of text/],
    ['17:00 + 03:00', 7, 8, /unexpected ` `|expected/],
    ['10:00.5', 5, 6, /expected a time such as/],
    ['10:00:00.1234567', 9, 16, /at most 6 digits/],
    ['8 P.M.', 2, 6, /reads the capital `M` of `P\.M\.` as a zone abbreviation/],
  ];
  it.each(invalid)('%s is an error at [%i, %i)', (text, start, end, message) => {
    const r = parseTimeOfDay(text);
    expect(r.value).toBeNull();
    expect(r.errors[0]).toMatchObject({ start, end });
    expect(r.errors[0]!.message).toMatch(message);
    expect(r.errors[0]!.help).toBeTruthy();
  });

  // dateutil reads these too, but not as a time of day, or as something we would have to guess at.
  const notTimes: [string, number, number, RegExp, RegExp][] = [
    ['17', 0, 2, /`17` alone is not a time: the reference \(dateutil\) reads it as day 17 of the month, that is midnight/, /write `17:00`/],
    ['9', 0, 1, /day 9 of the month/, /^write `9:00` or `9am`\/`9pm`$/],
    ['17 UTC', 0, 2, /day 17 of the month/, /^write `17:00`$/],
    ['5:00pmZ', 4, 7, /cannot read `pmZ`: it is one word/, /`pm Z`/],
    ['8:00amUTC', 4, 9, /cannot read `amUTC`/, /`am UTC`/],
    ['5:00PMZ', 4, 7, /reads `PMZ` as one zone abbreviation, which it ignores, not as `PM` and a zone/, /`PM Z`/],
    ['5:00 P', 5, 6, /`P` is `pm` to the reference/, /write `pm`/],
    ['10:00 utc', 6, 9, /knows UTC only as `UTC`, `GMT`, `Z` or `z`, not `utc`/, /write `UTC`/],
    ['10:00 Est', 6, 9, /`Est` is not a time zone .* 2 to 5 capital letters/, /valid times/],
    ['10:00 ABCDEF', 6, 12, /`ABCDEF` is not a time zone/, /./],
    ['10:00 MON', 6, 9, /`MON` is not a time zone: the reference \(dateutil\) reads it as a word of a date/, /./],
    ['10:00 MAY', 6, 9, /word of a date/, /./],
  ];
  it.each(notTimes)('%s is an error at [%i, %i) that says why', (text, start, end, message, help) => {
    const r = parseTimeOfDay(text);
    expect(r.value).toBeNull();
    expect(r.errors[0]).toMatchObject({ start, end });
    expect(r.errors[0]!.message).toMatch(message);
    expect(r.errors[0]!.help).toMatch(help);
  });

  it.each([['10:00 CET', 6, 9], ['10:00EST', 5, 8], ['10:00 AEST', 6, 10], ['5:00 PM PST', 8, 11]])('%s: an abbreviation dateutil ignores, with a warning', (text, start, end) => {
    const r = parseTimeOfDay(text as string);
    expect(r.errors).toEqual([]);
    expect(r.value!.offsetSeconds).toBeNull();
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ start, end });
  });

  it('reads every H:MM of the day and every h:MMam/pm to the right second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (h, m) => {
        const mm = String(m).padStart(2, '0');
        expect(parseTimeOfDay(`${h}:${mm}`).value).toEqual({ seconds: h * 3600 + m * 60, offsetSeconds: null });
        const h12 = h % 12 === 0 ? 12 : h % 12;
        expect(parseTimeOfDay(`${h12}:${mm}${h < 12 ? 'am' : 'pm'}`).value).toEqual({ seconds: h * 3600 + m * 60, offsetSeconds: null });
      }),
    );
  });

  it('never throws, and every error lies inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789:+-apmZ EST!x') }), (text) => {
        const r = parseTimeOfDay(text);
        expect(r.value === null).toBe(r.errors.length > 0);
        for (const e of r.errors) expect(0 <= e.start && e.start <= e.end && e.end <= text.length).toBe(true);
      }),
    );
  });
});

describe('parseDate', () => {
  it.each(['2022-06-01', '2024-02-29', '2000-02-29', '1999-12-31'])('%s is a date', (text) => {
    expect(parseDate(text)).toEqual({ value: text, errors: [], warnings: [] });
  });

  const invalid: [string, number, number, RegExp][] = [
    ['2022-02-30', 8, 10, /not a calendar date: February 2022 has 28 days/],
    ['1900-02-29', 8, 10, /February 1900 has 28 days/],
    ['2022-04-31', 8, 10, /April 2022 has 30 days/],
    ['2022-13-01', 5, 7, /month `13` is out of range/],
    ['2022-00-10', 5, 7, /month `00`/],
    ['2022-6-1', 5, 6, /month must have two digits/],
    ['22-06-01', 0, 2, /year must have four digits/],
    ['0000-01-01', 0, 4, /year `0000`/],
    ['2022/06/01', 4, 5, /unexpected `\/`/],
    ['2022-06-01 ', 10, 11, /unexpected ` `/],
    ['2022-06', 7, 7, /found end of text/],
  ];
  it.each(invalid)('%s is an error at [%i, %i)', (text, start, end, message) => {
    const r = parseDate(text);
    expect(r.value).toBeNull();
    expect(r.errors[0]).toMatchObject({ start, end });
    expect(r.errors[0]!.message).toMatch(message);
  });

  it('suggests the padded spelling', () => {
    expect(parseDate('2022-6-1').errors[0]!.help).toBe('did you mean `2022-06-01`?');
  });

  it('agrees with the calendar on every day of a leap and a common year', () => {
    for (const year of [2023, 2024]) {
      for (let m = 1; m <= 12; m++) {
        for (let d = 1; d <= 31; d++) {
          const text = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const real = new Date(Date.UTC(year, m - 1, d)).getUTCDate() === d;
          expect(parseDate(text).value !== null, text).toBe(real);
        }
      }
    }
  });
});
