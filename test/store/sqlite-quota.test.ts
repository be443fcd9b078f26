import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SqliteStore } from '../../runtime/store/sqlite/store.js';
import Database from 'better-sqlite3';
import { MemoryQuota } from '../../runtime/quota/memory.js';
import { clearEntry, sqliteStores, use, W1, W2, W3 } from './helpers.js';
import { windowAt } from '../support/time.js';

const stores = sqliteStores();
afterEach(() => stores.cleanup());
const freshStore = () => stores.fresh();

describe('SQLite tryConsume', () => {
  it('approves up to per_day, then refuses, and a new day starts at zero', async () => {
    const { store } = freshStore();
    const u = [use('r1', 'p1', null, 3)];
    const got = [];
    for (let i = 0; i < 5; i++) got.push(await store.tryConsume(u, W1));
    expect(got).toEqual([true, true, true, false, false]);
    expect(await store.tryConsume(u, W2)).toBe(false); // same day, next hour
    expect(await store.tryConsume(u, W3)).toBe(true);
    expect((await store.listQuota())[0]).toMatchObject({ hour: W3.hour, hourCount: 1, day: W3.day, dayCount: 1 });
    await store.close();
  });

  it('per_hour resets on the next hour while the day keeps counting', async () => {
    const { store } = freshStore();
    const u = [use('r1', 'p1', 1, 10)];
    expect(await store.tryConsume(u, W1)).toBe(true);
    expect(await store.tryConsume(u, W1)).toBe(false);
    expect(await store.tryConsume(u, W2)).toBe(true);
    expect((await store.listQuota())[0]).toMatchObject({ hourCount: 1, dayCount: 2 });
    await store.close();
  });

  it('records nothing when one throttle of the set is at quota', async () => {
    const { store } = freshStore();
    expect(await store.tryConsume([use('full', 'p1', null, 1)], W1)).toBe(true);
    expect(await store.tryConsume([use('free', 'p1', null, 5), use('full', 'p1', null, 1)], W1)).toBe(false);
    expect(await store.listQuota({ ruleId: 'free' })).toEqual([]);
    await store.close();
  });

  it('counts survive closing and reopening the file', async () => {
    const { store, dir } = freshStore();
    await store.tryConsume([use('r', 'p', null, 2)], W1);
    await store.tryConsume([use('r', 'p', null, 2)], W1);
    await store.close();
    const again = SqliteStore.open(dir, { create: false });
    expect(await again.tryConsume([use('r', 'p', null, 2)], W1)).toBe(false);
    await again.close();
  });

  it('a limit of 0 never approves, -1 is no limit', async () => {
    const { store } = freshStore();
    expect(await store.tryConsume([use('zero', 'p', 0, null)], W1)).toBe(false);
    expect(await store.tryConsume([use('free', 'p', null, 5), use('zero', 'p', null, 0)], W1)).toBe(false);
    expect(await store.listQuota()).toEqual([]);
    await store.close();
  });

  it('a counter written before SPEC 4.6 (hour named by local time only) keeps counting in its hour', async () => {
    const { store, dir } = freshStore();
    // As kss 0.1 wrote it for 10:xx in New York, just before the upgrade.
    const raw = new Database(`${dir}/kss.db`);
    raw.prepare('INSERT INTO quota VALUES (?, ?, ?, ?, ?, ?)').run('r', 'p', '2026-07-15T10', 2, '2026-07-15', 5);
    raw.close();
    const at = (iso: string) => windowAt(iso, 'America/New_York');
    expect(await store.tryConsume([use('r', 'p', 2, null)], at('2026-07-15T10:40:00-04:00'))).toBe(false); // hour full
    expect(await store.tryConsume([use('r', 'p', null, 6)], at('2026-07-15T10:40:00-04:00'))).toBe(true); // day 6 of 6
    expect((await store.listQuota())[0]).toMatchObject({ hour: '2026-07-15T10-04:00', hourCount: 3, dayCount: 6 });
    expect(await store.tryConsume([use('r', 'p', 1, null)], at('2026-07-15T11:05:00-04:00'))).toBe(true); // next hour
    await store.close();
  });

  it('counts the repeated hour of a fall-back as another hour (SPEC 4.6)', async () => {
    const { store } = freshStore();
    const u = [use('h', 'p', 1, null)];
    const ny = (iso: string) => windowAt(iso, 'America/New_York');
    expect(await store.tryConsume(u, ny('2026-11-01T01:30:00-04:00'))).toBe(true);
    expect(await store.tryConsume(u, ny('2026-11-01T01:10:00-05:00'))).toBe(true);
    expect(await store.tryConsume(u, ny('2026-11-01T01:40:00-05:00'))).toBe(false);
    await store.close();
  });

  it('decides exactly like the in-memory counters on any sequence (model check)', async () => {
    const windows = [W1, W2, W3];
    const step = fc.record({
      uses: fc.uniqueArray(fc.record({ r: fc.constantFrom('a', 'b', 'c'), p: fc.constantFrom('p1', 'p2'), h: fc.option(fc.integer({ min: 1, max: 3 })), d: fc.option(fc.integer({ min: 1, max: 4 })) }), { selector: (x) => x.r + x.p, maxLength: 3 }),
      w: fc.integer({ min: 0, max: 2 }),
    });
    const { store } = freshStore();
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        await store.clearQuota({}, clearEntry);
        const model = new MemoryQuota();
        let w = 0;
        for (const s of steps) {
          w = Math.max(w, s.w); // time only moves forward
          const uses = s.uses.map((x) => use(x.r, x.p, x.h, x.d));
          expect(await store.tryConsume(uses, windows[w]!)).toBe(model.tryConsume(uses, windows[w]!));
        }
      }),
      { numRuns: 60 },
    );
    await store.close();
  });
});
