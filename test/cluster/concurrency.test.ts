/**
 * Several instances on one database, each with its own connection pool (as separate processes
 * have): the quota and the audit chain must stay exact under concurrency. Real MariaDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chainVerifier } from '../../runtime/audit/chain.js';
import { MysqlStore } from '../../runtime/store/mysql/store.js';
import type { AuditEntry } from '../../runtime/store/types.js';
import type { ThrottleUse } from '../../runtime/evaluator/types.js';
import { admin, dropDatabase, freshDatabase } from './support/mysql.js';
import { windowAt } from '../support/time.js';

const W = windowAt('2026-03-01T09:30:00Z');
const use = (ruleId: string, profileId: string, perDay: number | null, perHour: number | null = null): ThrottleUse =>
  ({ ruleId, profileId, perHour, perDay, persistent: true });

describe('MySQL store under concurrency (3 pools on one database)', () => {
  let uri: string;
  const stores: MysqlStore[] = [];

  beforeAll(async () => {
    uri = await freshDatabase();
    stores.push(await MysqlStore.open(uri, { create: true, connections: 6 }));
    for (let i = 0; i < 2; i++) stores.push(await MysqlStore.open(uri, { connections: 6 }));
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await dropDatabase(uri);
  });

  /** `workers` loops, spread over the stores, each calling `attempt` until `total` calls are made. */
  async function hammer(total: number, workers: number, attempt: (store: MysqlStore, i: number) => Promise<boolean>): Promise<number> {
    let next = 0;
    let approved = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const store = stores[w % stores.length]!;
        while (next < total) {
          const i = next++;
          if (await attempt(store, i)) approved++;
        }
      }),
    );
    return approved;
  }

  it('grants exactly per_day uses to 16 concurrent clients over 3 instances', async () => {
    const approved = await hammer(260, 16, (s) => s.tryConsume([use('day100', 'prof', 100)], W));
    expect(approved).toBe(100);
    const [row] = await stores[1]!.listQuota({ ruleId: 'day100' });
    expect(row).toMatchObject({ dayCount: 100, hourCount: 100 });
  });

  it('stays exact when the first use of a counter row races on several instances', async () => {
    // 40 new rows, each wanted by 4 clients at once through different pools: each gets 2 uses.
    const approved = await hammer(160, 16, (s, i) => s.tryConsume([use('fresh', `p${i % 40}`, 2)], W));
    expect(approved).toBe(80);
    const rows = await stores[0]!.listQuota({ ruleId: 'fresh' });
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.dayCount === 2)).toBe(true);
  });

  it('never deadlocks to the caller when rule sets share counters in different orders', async () => {
    // Rule sets {x, y} and {y, x}: without a fixed lock order these deadlock under load.
    const approved = await hammer(200, 16, (s, i) =>
      s.tryConsume(i % 2 ? [use('x', 'p', 60), use('y', 'p', 1000)] : [use('y', 'p', 1000), use('x', 'p', 60)], W),
    );
    expect(approved).toBe(60);
    const rows = await stores[2]!.listQuota({ profileId: 'p' });
    expect(rows.map((r) => [r.ruleId, r.dayCount])).toEqual([['x', 60], ['y', 60]]);
  });

  it('counts equal the approvals that used them and never pass a limit, for any concurrent mix of rule sets (property)', async () => {
    const rules = { a: 3, b: 5, c: 8 } as const;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ rules: fc.subarray(['a', 'b', 'c'] as const, { minLength: 1 }), profile: fc.constantFrom('p', 'q'), store: fc.nat(2) }), { minLength: 1, maxLength: 40 }),
        async (calls) => {
          const prefix = `prop${run++}-`;
          // All calls at once, spread over the three pools.
          const results = await Promise.all(
            calls.map((c) => stores[c.store]!.tryConsume(c.rules.map((r) => use(prefix + r, c.profile, rules[r])), W)),
          );
          const expected = new Map<string, number>();
          calls.forEach((c, i) => {
            if (!results[i]) return;
            for (const r of c.rules) expected.set(`${prefix + r}/${c.profile}`, (expected.get(`${prefix + r}/${c.profile}`) ?? 0) + 1);
          });
          const rows = (await stores[0]!.listQuota()).filter((q) => q.ruleId.startsWith(prefix));
          expect(new Map(rows.map((q) => [`${q.ruleId}/${q.profileId}`, q.dayCount]))).toEqual(expected);
          for (const q of rows) expect(q.dayCount).toBeLessThanOrEqual(rules[q.ruleId.slice(prefix.length) as keyof typeof rules]);
          // A call refused while every one of its rules still had room would be a lost approval.
          calls.forEach((c, i) => {
            if (results[i]) return;
            expect(c.rules.some((r) => (expected.get(`${prefix + r}/${c.profile}`) ?? 0) >= rules[r])).toBe(true);
          });
        },
      ),
      { numRuns: 15 },
    );
  });

  it('keeps one valid audit chain with writers on every instance', async () => {
    const written: AuditEntry[] = [];
    await hammer(120, 12, async (s, i) => {
      const batch = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ at: new Date(0).toISOString(), kind: 'decision', actor: `api:${i}`, data: { i, k } }));
      written.push(...(await s.appendAudit(batch)));
      return true;
    });
    const all = await stores[0]!.readAudit(0, 10_000);
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: written.length }, (_, k) => k + 1));
    const v = chainVerifier();
    v.add(all);
    expect(v.problems).toEqual([]);
    // What each writer was told is what the log holds.
    const bySeq = new Map(all.map((e) => [e.seq, e.hash]));
    expect(written.every((e) => bySeq.get(e.seq) === e.hash)).toBe(true);

    // Editing or deleting a row in the database is detected at that entry.
    await admin(uri, `UPDATE kss_audit SET data = '{"i":-1,"k":0}' WHERE seq = 7`);
    await admin(uri, 'DELETE FROM kss_audit WHERE seq = 20');
    const tampered = chainVerifier();
    tampered.add(await stores[0]!.readAudit(0, 10_000));
    // (The deletion shows twice at entry 21: it follows entry 19, and it does not link to it.)
    expect(tampered.problems.map((p) => p.seq)).toEqual([7, 21, 21]);
    expect(tampered.problems[1]!.message).toMatch(/entry 21 follows entry 19/);
  });
});
