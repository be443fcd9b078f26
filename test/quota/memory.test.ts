/** MemoryQuota, the one in-memory counter: all-or-nothing consumption, hour and day windows, list, clear, mirror changes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryQuota } from '../../runtime/quota/memory.js';
import type { CounterHint, ThrottleUse } from '../../runtime/quota/types.js';
import { windowAt } from '../support/time.js';

const use = (ruleId: string, perHour: number | null, perDay: number | null, profileId = 'p'): ThrottleUse => ({ ruleId, profileId, perHour, perDay, persistent: false });
const w = (day: string, hour: string) => windowAt(`${day}T${hour}:30:00Z`);

describe('MemoryQuota', () => {
  it('approves while below the limits and starts again in a new hour or day', () => {
    const q = new MemoryQuota();
    const u = [use('a', 2, 3)];
    expect(q.tryConsume(u, w('2022-03-15', '10'))).toBe(true);
    expect(q.tryConsume(u, w('2022-03-15', '10'))).toBe(true);
    expect(q.tryConsume(u, w('2022-03-15', '10'))).toBe(false);
    expect(q.tryConsume(u, w('2022-03-15', '11'))).toBe(true);
    expect(q.tryConsume(u, w('2022-03-15', '12'))).toBe(false);
    expect(q.tryConsume(u, w('2022-03-16', '00'))).toBe(true);
    expect(q.counts('a', 'p', w('2022-03-16', '00'))).toEqual({ hourCount: 1, dayCount: 1 });
  });

  it('records nothing when one throttle of the set is at quota; a limit of 0 never approves, -1 is no limit', () => {
    const q = new MemoryQuota();
    expect(q.tryConsume([use('full', null, 1)], w('2022-03-15', '10'))).toBe(true);
    expect(q.tryConsume([use('other', 5, 5), use('full', null, 1)], w('2022-03-15', '10'))).toBe(false);
    expect(q.list({ ruleId: 'other' })).toEqual([]);
    expect(q.tryConsume([use('zero', 0, null)], w('2022-03-15', '10'))).toBe(false);
    for (let i = 0; i < 5; i++) expect(q.tryConsume([use('unlimited', -1, -1)], w('2022-03-15', '10'))).toBe(true);
  });

  it('counts the repeated hour of a fall-back as another hour, the day as one (SPEC 4.6)', () => {
    const q = new MemoryQuota();
    const u = [use('h', 1, 3)];
    const ny = (iso: string) => windowAt(iso, 'America/New_York');
    expect(q.tryConsume(u, ny('2026-11-01T01:30:00-04:00'))).toBe(true);
    expect(q.tryConsume(u, ny('2026-11-01T01:10:00-05:00'))).toBe(true);
    expect(q.tryConsume(u, ny('2026-11-01T01:40:00-05:00'))).toBe(false);
    expect(q.tryConsume(u, ny('2026-11-01T02:05:00-05:00'))).toBe(true);
    expect(q.tryConsume(u, ny('2026-11-01T03:05:00-05:00'))).toBe(false); // per_day 3
  });

  it('counts per (rule id, profile) and clears by filter', () => {
    const q = new MemoryQuota();
    q.tryConsume([use('a', null, null, 'p1'), use('b', null, null, 'p1')], w('2022-03-15', '10'));
    q.tryConsume([use('a', null, null, 'p2')], w('2022-03-15', '10'));
    expect(q.list().map((c) => `${c.ruleId}/${c.profileId}:${c.dayCount}`)).toEqual(['a/p1:1', 'a/p2:1', 'b/p1:1']);
    expect(q.clear({ profileId: 'p1' })).toBe(2);
    expect(q.list().map((c) => `${c.ruleId}/${c.profileId}`)).toEqual(['a/p2']);
    q.retain(['b']);
    expect(q.list()).toEqual([]);
  });

  it('releases a reservation', () => {
    const q = new MemoryQuota();
    const win = w('2022-03-15', '10');
    expect(q.tryConsume([use('a', null, 2)], win)).toBe(true);
    expect(q.tryConsume([use('a', null, 2), use('b', null, 2)], win)).toBe(true);
    q.release([use('a', null, 2), use('b', null, 2)], win);
    expect(q.list().map((c) => `${c.ruleId}:${c.dayCount}`)).toEqual(['a:1', 'b:0']);
    expect(q.tryConsume([use('a', null, 2)], win)).toBe(true);
    expect(q.tryConsume([use('a', null, 2)], win)).toBe(false);
  });

  it('tells the mirror what changed since it last asked', () => {
    const q = new MemoryQuota({ trackChanges: true });
    const win = w('2022-03-15', '10');
    expect(q.takeChanges()).toBeNull();
    q.tryConsume([use('a', null, null, 'p1'), use('a', null, null, 'p2')], win);
    expect(q.takeChanges()).toEqual({ replace: false, removals: [], upserts: [expect.objectContaining({ ruleId: 'a', profileId: 'p1', dayCount: 1 }), expect.objectContaining({ profileId: 'p2' })] });
    q.tryConsume([use('a', null, null, 'p1')], win);
    q.clear({ profileId: 'p2' });
    expect(q.takeChanges()).toEqual({ replace: false, removals: [{ ruleId: 'a', profileId: 'p2' }], upserts: [expect.objectContaining({ profileId: 'p1', dayCount: 2 })] });
    q.remirror();
    expect(q.takeChanges()).toEqual({ replace: true, removals: [], upserts: [expect.objectContaining({ profileId: 'p1', dayCount: 2 })] });
    expect(new MemoryQuota().takeChanges()).toBeNull();
  });

  it('never lets more uses through in one window than the smallest limit (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 20 }), (perHour, perDay, attempts) => {
      const q = new MemoryQuota();
      let ok = 0;
      for (let i = 0; i < attempts; i++) if (q.tryConsume([use('r', perHour, perDay)], w('2022-03-15', '10'))) ok++;
      expect(ok).toBe(Math.min(attempts, perHour, perDay));
    }));
  });

  it('keeps the counts a map per (rule id, profile) would keep, one profile per rule id or many (property)', () => {
    // The model: the plain definition, one counter per key, consumed all or nothing.
    const op = fc.record({
      kind: fc.constantFrom('consume', 'consume', 'consume', 'release', 'clear'),
      keys: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('p1', 'p2', 'p3')), { minLength: 1, maxLength: 3 }),
      limit: fc.constantFrom(null, 1, 2, 3),
      hour: fc.constantFrom('10', '11'),
    });
    // withHints: each rule id's uses carry one counter hint (as a program's ThrottleSpec), shared by
    // its profiles and, with twoStores, by a second store that counts the same uses, so hints go
    // stale by clears, by another key and by another store; the counts must stay the model's.
    fc.assert(fc.property(fc.array(op, { maxLength: 40 }), fc.boolean(), fc.boolean(), (ops, withHints, twoStores) => {
      const q = new MemoryQuota({ trackChanges: true });
      const other = twoStores ? new MemoryQuota() : null;
      const hints = new Map<string, CounterHint>();
      const hintOf = (r: string) => { let h = hints.get(r); if (h === undefined) hints.set(r, (h = { hintStore: null, hintCounter: null })); return h; };
      const model = new Map<string, { hour: string; hourCount: number; dayCount: number }>();
      for (const o of ops) {
        const win = w('2022-03-15', o.hour);
        const uses = o.keys.map(([r, p]) => (withHints ? { ...use(r, o.limit, null, p), hint: hintOf(r) } : use(r, o.limit, null, p)));
        const key = (u: ThrottleUse) => `${u.ruleId}/${u.profileId}`;
        if (o.kind === 'consume') {
          const hourOf = (u: ThrottleUse) => { const c = model.get(key(u)); return c && c.hour === win.hour ? c.hourCount : 0; };
          const ok = uses.every((u) => o.limit === null || hourOf(u) < o.limit);
          if (ok) for (const u of uses) { const n = hourOf(u) + 1; model.set(key(u), { hour: win.hour, hourCount: n, dayCount: (model.get(key(u))?.dayCount ?? 0) + 1 }); }
          expect(q.tryConsume(uses, win)).toBe(ok);
          if (other !== null) expect(other.tryConsume(uses, win)).toBe(ok);
        } else if (o.kind === 'release') {
          for (const u of uses) { const c = model.get(key(u)); if (c && c.hour === win.hour && c.hourCount > 0) c.hourCount--; if (c && c.dayCount > 0) c.dayCount--; }
          q.release(uses, win);
          other?.release(uses, win);
        } else {
          const [ruleId, profileId] = o.keys[0]!;
          for (const k of [...model.keys()]) if (k.startsWith(`${ruleId}/`) || (o.keys.length > 1 && k.endsWith(`/${profileId}`))) model.delete(k);
          for (const store of other !== null ? [q, other] : [q]) {
            store.clear({ ruleId });
            if (o.keys.length > 1) store.clear({ profileId });
          }
        }
        const listed = q.list().map((c) => `${c.ruleId}/${c.profileId} ${c.hour.slice(11, 13)} ${c.hourCount} ${c.dayCount}`);
        if (other !== null) expect(other.list().map((c) => `${c.ruleId}/${c.profileId} ${c.hour.slice(11, 13)} ${c.hourCount} ${c.dayCount}`)).toEqual(listed);
        expect(listed).toEqual([...model].sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, c]) => `${k} ${c.hour.slice(11, 13)} ${c.hourCount} ${c.dayCount}`));
        for (const [k, c] of model) expect(q.counts(k.split('/')[0]!, k.split('/')[1]!, win)).toEqual({ hourCount: c.hour === win.hour ? c.hourCount : 0, dayCount: c.dayCount });
      }
    }));
  });
});
