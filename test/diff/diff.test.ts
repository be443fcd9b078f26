/** runtime/diff on hand-written policy pairs: what changes, in the policy's terms, and what does not. */
import { describe, expect, test } from 'vitest';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import { parseInstant, parseZone } from '../../runtime/time/index.js';
import { compile, diff, UTC } from './support.js';

const rs = (...rules: string[]) => `  - ${rules.map((r, i) => (i === 0 ? '- ' : '    - ') + r.trim().split('\n').map((l) => l.trim()).join('\n      ')).join('\n')}`;
const policy = (...sets: string[]) => `decrypt:\n${sets.join('\n')}\n`;
const meta = (paths: string[], extra = '') => `rule: meta-rule\npaths: ${JSON.stringify(paths)}${extra}`;
const hours = (start: string, end: string, days = '[0, 1, 2, 3, 4]') => `rule: time-range-rule\ntime_start: "${start}"\ntime_end: "${end}"\ndays: ${days}`;

describe('kss diff: no change in decisions', () => {
  test('reordered non-inverted paths', () => {
    const r = diff(policy(rs(meta(['/finance', '/hr', '*.pdf']))), policy(rs(meta(['*.pdf', '/hr', '/finance']))));
    expect(r).toEqual({ changes: [], may_change: [], counters: { kept: [], reset: [], fresh: [] } });
  });

  test('a pattern list split between paths and regexes, and into two rule sets where the index cannot show', () => {
    const a = policy(rs(meta(['/finance', '/hr'])), rs('rule: approve-rule'));
    const b = policy(rs(`rule: meta-rule\npaths: ["/finance"]\nregexes: ["^/hr(?:/|$)"]`), rs('rule: approve-rule'));
    expect(diff(a, b).changes).toEqual([]);
  });

  test('a time written in another spelling', () => {
    expect(diff(policy(rs(hours('17:00', '23:00'))), policy(rs(hours('5:00pm', '11:00 PM')))).changes).toEqual([]);
  });
});

describe('kss diff: changes with witnesses', () => {
  test('a removed path: the requests it approved are now denied', () => {
    const r = diff(policy(rs(meta(['/finance', '/hr']))), policy(rs(meta(['/finance']))));
    expect(r.changes).toHaveLength(1);
    const c = r.changes[0]!;
    expect(c).toMatchObject({ request_type: 'decrypt', old: { approved: true, rule_set: 0 }, new: { approved: false, rule_set: null } });
    expect(c.where.auth_meta.join(' ')).toContain('`/hr`');
    expect(c.witnesses[0]!.request.auth_meta).toEqual([{ meta: 'hr', complete: true }]);
  });

  test('earlier office hours: the new hour, to the microsecond, on the weekdays only', () => {
    const r = diff(policy(rs(hours('09:00', '17:00'))), policy(rs(hours('08:00', '17:00:00.5'))));
    const times = r.changes.flatMap((c) => c.where.times);
    expect(times).toContain('Mondays, Tuesdays, Wednesdays, Thursdays, Fridays 08:00:00–08:59:59.999999');
    expect(times).toContain('Mondays, Tuesdays, Wednesdays, Thursdays, Fridays 17:00:00.000001–17:00:00.500000');
    expect(times.some((t) => t.startsWith('Saturdays') || t.startsWith('Sundays'))).toBe(false);
    for (const c of r.changes) expect(c).toMatchObject({ old: { approved: false }, new: { approved: true, rule_set: 0 } });
  });

  test('a half-second window on Saturdays, moved or cut by a microsecond: exact stretches, witnesses the evaluator confirms', () => {
    // From a property-test counterexample (the 18:00 edit of this policy does not compile; these do).
    const a = policy(rs(hours('17:00', '17:00:00.5', '[5]')));
    const cases: [string, string, string, boolean][] = [
      [hours('16:00', '17:00:00.5', '[5]'), 'Saturdays 16:00:00–16:59:59.999999', '2026-12-05T16:00:00.000Z', false],
      [hours('17:00', '17:00:00.499999', '[5]'), 'Saturdays 17:00:00.500000–17:00:00.500000', '2026-12-05T17:00:00.500Z', true],
      [hours('17:00:00.000001', '17:00:00.5', '[5]'), 'Saturdays 17:00:00–17:00:00', '2026-12-05T17:00:00.000Z', true],
    ];
    for (const [rule, time, at, oldApproved] of cases) {
      const b = policy(rs(rule));
      const r = diff(a, b);
      expect(r.changes).toHaveLength(1);
      const c = r.changes[0]!;
      expect(c.where.times).toEqual([time]);
      expect(c.witnesses.map((w) => w.at)).toEqual([at]);
      expect(c.old.approved).toBe(oldApproved);
      for (const [yaml, outcome] of [[a, c.old], [b, c.new]] as const) {
        const d = loadProgram(compile(yaml)).decide(c.witnesses[0]!.request, { at: parseInstant(at, UTC)!, zone: UTC }, new MemoryQuota());
        expect({ approved: d.approved, rule_set: d.rule_set }).toEqual(outcome);
      }
    }
  });

  test('an excluded date is a class of its own', () => {
    const r = diff(policy(rs(hours('09:00', '17:00', '[0,1,2,3,4,5,6]'))), policy(rs(`${hours('09:00', '17:00', '[0,1,2,3,4,5,6]')}\nexclude: ["2026-12-25"]`)));
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]!.where.times).toEqual(['on 2026-12-25 09:00:00–17:00:00']);
    expect(r.changes[0]!.witnesses[0]!.at).toBe('2026-12-25T09:00:00.000Z');
  });

  test('a profile added to a list, by id and by words', () => {
    const a = policy(rs(`rule: profile-id-rule\nprofile_ids: ["${'aa'.repeat(16)}"]`));
    const b = policy(rs(`rule: profile-id-rule\nprofile_ids: ["${'aa'.repeat(16)}", "${'BB'.repeat(16)}", "one two three four"]`));
    const c = diff(a, b).changes;
    expect(c).toHaveLength(1);
    expect(c[0]!.where.profiles).toEqual(expect.arrayContaining([`profile id \`${'bb'.repeat(16)}\``, 'profile words starting `one two three four`']));
    expect(c[0]!.where.profiles.join(' ')).not.toContain('aa'.repeat(16) + '`;');
  });

  test('an inserted rule set renumbers what follows it', () => {
    const r = diff(policy(rs(meta(['/a'])), rs(meta(['/b']))), policy(rs(meta(['/new'])), rs(meta(['/a'])), rs(meta(['/b']))));
    const pairs = r.changes.map((c) => [c.old.rule_set, c.new.rule_set]);
    expect(pairs).toEqual(expect.arrayContaining([[0, 1], [1, 2], [null, 0]]));
  });

  test('two entries that each approve alone but not together are found (the AND of entry classes)', () => {
    const a = policy(rs(meta(['/a'])), rs(meta(['/b'])), rs(meta(['/a', '/b'])));
    const b = policy(rs(meta(['/a'])), rs(meta(['/b'])));
    const c = diff(a, b).changes;
    expect(c).toHaveLength(1);
    expect(c[0]!.witnesses[0]!.request.auth_meta).toHaveLength(2);
  });

  test('a request type added to the policy loses its default', () => {
    const r = diff(policy(rs('rule: approve-rule')), `${policy(rs('rule: approve-rule'))}create_profile:\n  - - rule: reject-rule\n`);
    expect(r.changes).toEqual([expect.objectContaining({ request_type: 'create_profile', old: { approved: true, rule_set: null }, new: { approved: false, rule_set: null } })]);
  });

  test('a zone with daylight saving: an end written with an offset moves between summer and winter', () => {
    const berlin = parseZone('Europe/Berlin');
    const r = diff(policy(rs(hours('09:00', '17:00'))), policy(rs(hours('09:00', '16:00+00:00'))), berlin);
    const times = r.changes.flatMap((c) => c.where.times);
    // 16:00 UTC is 17:00 in winter (no change) and 18:00 in summer (an hour more).
    expect(times.some((t) => t.includes('UTC offset 1h'))).toBe(false);
    expect(times.some((t) => t.includes('UTC offset 2h') && t.endsWith('17:00:00.000001–18:00:00'))).toBe(true);
  });
});

describe('kss diff: what it cannot decide, and counters', () => {
  test('a back-reference regex is "may change", never "no change"', () => {
    const r = diff(policy(rs(`rule: meta-rule\nregexes: ["^/(a+)x\\\\1$"]`)), policy(rs(`rule: meta-rule\nregexes: ["^/(a+)x\\\\1$", "^/zz"]`)));
    expect(r.may_change.map((m) => m.reason).join(' ')).toContain('back-reference');
  });

  test('throttle state is "may change", and counters are kept, reset or fresh by rule id', () => {
    const t = (id: string, n: number) => `rule: per-profile-throttle-rule\nrule_id: ${id}\nper_day: ${n}`;
    const r = diff(policy(rs(t('kept', 3), t('gone', 5))), policy(rs(t('kept', 3), t('new', 5))));
    expect(r.counters).toEqual({ kept: ['kept'], reset: ['gone'], fresh: ['new'] });
    expect(r.may_change.some((m) => m.reason.startsWith('throttle state'))).toBe(true);
  });
});
