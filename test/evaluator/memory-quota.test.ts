/** MemoryQuotaStore: all-or-nothing consumption, hour and day windows, list and clear. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryQuotaStore } from '../../runtime/evaluator/memory-quota.js';
import type { ThrottleUse } from '../../runtime/evaluator/types.js';

const use = (ruleId: string, perHour: number | null, perDay: number | null, profileId = 'p'): ThrottleUse => ({ ruleId, profileId, perHour, perDay, persistent: false });
const w = (day: string, hour: string) => ({ day, hour: `${day}T${hour}` });

describe('MemoryQuotaStore', () => {
  it('approves while below the limits and starts again in a new hour or day', () => {
    const q = new MemoryQuotaStore();
    const u = [use('a', 2, 3)];
    expect(q.tryConsume(u, w('2022-03-15', '10'))).toBe(true);
    expect(q.tryConsume(u, w('2022-03-15', '10'))).toBe(true);
    expect(q.tryConsume(u, w('2022-03-15', '10'))).toBe(false);
    expect(q.tryConsume(u, w('2022-03-15', '11'))).toBe(true);
    expect(q.tryConsume(u, w('2022-03-15', '12'))).toBe(false);
    expect(q.tryConsume(u, w('2022-03-16', '00'))).toBe(true);
  });

  it('records nothing when one throttle of the set is at quota', () => {
    const q = new MemoryQuotaStore();
    expect(q.tryConsume([use('full', null, 1)], w('2022-03-15', '10'))).toBe(true);
    expect(q.tryConsume([use('other', 5, 5), use('full', null, 1)], w('2022-03-15', '10'))).toBe(false);
    expect(q.list({ ruleId: 'other' })).toEqual([]);
    expect(q.tryConsume([use('zero', 0, null)], w('2022-03-15', '10'))).toBe(false);
  });

  it('counts per (rule id, profile) and clears by filter', () => {
    const q = new MemoryQuotaStore();
    q.tryConsume([use('a', null, null, 'p1'), use('b', null, null, 'p1')], w('2022-03-15', '10'));
    q.tryConsume([use('a', null, null, 'p2')], w('2022-03-15', '10'));
    expect(q.list().map((c) => `${c.ruleId}/${c.profileId}:${c.dayCount}`)).toEqual(['a/p1:1', 'a/p2:1', 'b/p1:1']);
    expect(q.clear({ profileId: 'p1' })).toBe(2);
    expect(q.list().map((c) => `${c.ruleId}/${c.profileId}`)).toEqual(['a/p2']);
  });

  it('never lets more uses through in one window than the smallest limit (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 20 }), (perHour, perDay, attempts) => {
      const q = new MemoryQuotaStore();
      let ok = 0;
      for (let i = 0; i < attempts; i++) if (q.tryConsume([use('r', perHour, perDay)], w('2022-03-15', '10'))) ok++;
      expect(ok).toBe(Math.min(attempts, perHour, perDay));
    }));
  });
});
