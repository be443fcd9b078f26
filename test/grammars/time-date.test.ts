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
    ['9', 9 * 3600, null],
    ['0:00', 0, null],
    ['23:59:59', 86399, null],
    ['17:00Z', 17 * 3600, 0],
    ['19:45+00:00', 19 * 3600 + 45 * 60, 0],
    ['06:30-05:30', 6 * 3600 + 30 * 60, -(5 * 3600 + 30 * 60)],
    ['8:00 AM', 8 * 3600, null],
    ['1:45PM', 13 * 3600 + 45 * 60, null],
    ['8:00amZ', 8 * 3600, 0],
    ['8:00pm+01:00', 20 * 3600, 3600],
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
    ['13:00pm', 0, 2, /hour `13` with `pm` must be 1\.\.12/],
    ['0:30am', 0, 1, /must be 1\.\.12/],
    ['8:60', 2, 4, /minutes `60` is out of range/],
    ['8:5', 2, 3, /minutes must be two digits/],
    ['12:00:61', 6, 8, /seconds `61` is out of range/],
    ['17:00+4:00', 6, 7, /zone hours must be two digits/],
    ['17:00+04:75', 9, 11, /zone minutes/],
    ['garbage', 0, 7, /expected a time/],
    ['', 0, 0, /found end of text/],
    ['17:00 Z EST', 8, 11, /only one zone/],
    ['5:00pm am', 7, 9, /unexpected `am`/],
    ['17h00', 3, 5, /expected a time such as `17:00` or `8:00am`, found `00`/],
    ['17:00!', 5, 6, /unexpected `!`/],
  ];
  it.each(invalid)('%s is an error at [%i, %i)', (text, start, end, message) => {
    const r = parseTimeOfDay(text);
    expect(r.value).toBeNull();
    expect(r.errors[0]).toMatchObject({ start, end, help: TIME_HELP });
    expect(r.errors[0]!.message).toMatch(message);
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
