/** The random jobs' own promises: steps written without an offset still run in order. */
import { describe, expect, it } from 'vitest';
import { wallReadsBack } from './arbitraries.js';

const ms = (iso: string) => Date.parse(iso);

describe('wallReadsBack: a wall-clock `at` means the instant it was written for', () => {
  it('not in the second pass of the hour New York repeats (01:00-02:00 on 2022-11-06)', () => {
    expect(wallReadsBack('America/New_York', ms('2022-11-06T05:08:31Z'))).toBe(true); // 01:08:31 EDT, first pass
    expect(wallReadsBack('America/New_York', ms('2022-11-06T06:08:31Z'))).toBe(false); // 01:08:31 EST, second pass
    expect(wallReadsBack('America/New_York', ms('2022-11-06T07:00:00Z'))).toBe(true); // 02:00 EST, after it
  });

  it('everywhere else: ordinary days, after the clocks go forward, fixed zones', () => {
    expect(wallReadsBack('America/New_York', ms('2022-03-13T07:30:00Z'))).toBe(true); // 03:30 EDT, just after the gap
    expect(wallReadsBack('America/New_York', ms('2022-07-01T12:00:00Z'))).toBe(true);
    expect(wallReadsBack('Europe/Berlin', ms('2022-10-30T00:30:00Z'))).toBe(true); // 02:30 CEST, first pass
    expect(wallReadsBack('Europe/Berlin', ms('2022-10-30T01:30:00Z'))).toBe(false); // 02:30 CET, second pass
    expect(wallReadsBack('+04:00', ms('2022-11-06T06:08:31Z'))).toBe(true);
    expect(wallReadsBack('UTC', ms('2022-11-06T06:08:31Z'))).toBe(true);
  });
});
