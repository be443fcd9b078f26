/** The overview chart's logic: reading /metrics, rates between readings, the chart's points. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartPoints, decisionSample, niceMax, parsePrometheus, pushWindow, rateBetween } from '../../console/src/lib/metrics.js';
import { Metrics } from '../../runtime/server/metrics.js';

describe('reading /metrics', () => {
  it("reads the decision counters the server writes, by result", async () => {
    const m = new Metrics();
    for (const [type, approved] of [['decrypt', true], ['decrypt', false], ['search', true], ['search', true]] as const) m.decision(type, approved, 0.001);
    expect(decisionSample(await m.render(), 5)).toEqual({ at: 5, approved: 3, denied: 1 });
  });

  it('parses labels with escaped quotes and skips comments and junk', () => {
    const text = '# HELP x y\nx{a="b\\"c",d="e"} 2\nnot a line\ny 3.5\n\n';
    expect(parsePrometheus(text)).toEqual([{ name: 'x', labels: { a: 'b"c', d: 'e' }, value: 2 }, { name: 'y', labels: {}, value: 3.5 }]);
  });
});

describe('rates', () => {
  it('decisions per second and the approval share between two readings', () => {
    expect(rateBetween({ at: 0, approved: 10, denied: 10 }, { at: 2000, approved: 16, denied: 12 })).toEqual({ at: 2000, perSecond: 4, approval: 0.75 });
  });

  it('no decisions: rate 0, approval unknown', () => {
    expect(rateBetween({ at: 0, approved: 1, denied: 1 }, { at: 1000, approved: 1, denied: 1 })).toEqual({ at: 1000, perSecond: 0, approval: null });
  });

  it('a counter that went down (server restart) counts from zero', () => {
    expect(rateBetween({ at: 0, approved: 50, denied: 5 }, { at: 1000, approved: 2, denied: 0 }).perSecond).toBe(2);
  });

  it('law: the rate is never negative and the approval share is within [0, 1]', () => {
    const sample = fc.record({ at: fc.integer({ min: 0, max: 1e9 }), approved: fc.nat(), denied: fc.nat() });
    fc.assert(fc.property(sample, sample, (a, b) => {
      const r = rateBetween(a, b);
      return r.perSecond >= 0 && (r.approval === null || (r.approval >= 0 && r.approval <= 1));
    }));
  });
});

describe('chart', () => {
  it('keeps the newest items of a window', () => {
    expect(pushWindow([1, 2, 3], 4, 3)).toEqual([2, 3, 4]);
    expect(pushWindow([1], 2, 3)).toEqual([1, 2]);
  });

  it('places values left to right, bottom is 0, a gap keeps the last height', () => {
    expect(chartPoints([0, 10, null, 5], 30, 10, 10)).toBe('0.0,10.0 10.0,0.0 20.0,0.0 30.0,5.0');
    expect(chartPoints([], 30, 10, 10)).toBe('');
  });

  it('law: every point lies inside the box', () => {
    fc.assert(fc.property(fc.array(fc.option(fc.double({ noNaN: true, min: -1e6, max: 1e6 })), { maxLength: 50 }), fc.double({ min: 0, max: 1e6, noNaN: true }), (values, max) => {
      const pts = chartPoints(values, 320, 80, max);
      return pts === '' || pts.split(' ').every((p) => {
        const [x, y] = p.split(',').map(Number);
        return x! >= 0 && x! <= 320 && y! >= 0 && y! <= 80;
      });
    }));
  });

  it('rounds a scale up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 1.5, 3, 7, 42, 120].map(niceMax)).toEqual([1, 0.5, 1, 2, 5, 10, 50, 200]);
    fc.assert(fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (v) => niceMax(v) >= v && niceMax(v) <= v * 5 + 1e-9));
  });
});
