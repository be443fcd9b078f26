import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quotaWindow, validZone } from '../../runtime/store/window.js';

describe('quota windows in the server zone', () => {
  const t = Date.UTC(2026, 0, 5, 22, 30); // Monday 22:30 UTC
  it('fixed offsets, UTC and IANA zones', () => {
    expect(quotaWindow(t, 'UTC')).toEqual({ hour: '2026-01-05T22', day: '2026-01-05' });
    expect(quotaWindow(t, '+04:00')).toEqual({ hour: '2026-01-06T02', day: '2026-01-06' });
    expect(quotaWindow(t, '-05:30')).toEqual({ hour: '2026-01-05T17', day: '2026-01-05' });
    expect(quotaWindow(t, 'America/New_York')).toEqual({ hour: '2026-01-05T17', day: '2026-01-05' });
    expect(quotaWindow(t, 'Asia/Tokyo')).toEqual({ hour: '2026-01-06T07', day: '2026-01-06' });
  });
  it('rejects unknown zones', () => {
    expect(validZone('Mars/Olympus')).toBe(false);
    expect(validZone('Europe/Berlin')).toBe(true);
  });
  it('an IANA zone with a fixed offset agrees with the offset form (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (ms) => {
      expect(quotaWindow(ms, 'Asia/Kolkata')).toEqual(quotaWindow(ms, '+05:30'));
      expect(quotaWindow(ms, 'Etc/UTC')).toEqual(quotaWindow(ms, 'UTC'));
    }));
  });
});
