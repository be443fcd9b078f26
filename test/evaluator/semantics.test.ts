/** SPEC §2-§4 on small policies, through the real compiler, with both engines. */
import { describe, expect, it } from 'vitest';
import { decider, meta } from './decide.js';

const AT = '2022-03-15T10:00:00Z'; // a Tuesday (weekday 1)

describe('meta-rule (SPEC §4.1)', () => {
  it('order matters: an inverted path that matches first denies, a normal one first approves', () => {
    const first = decider("decrypt:\n- - rule: meta-rule\n    paths: ['!/taxi', '/tax*']\n");
    const last = decider("decrypt:\n- - rule: meta-rule\n    paths: ['/tax*', '!/taxi']\n");
    const req = { request_type: 'decrypt', auth_meta: meta(['taxi', true]) };
    expect(first(req, AT).approved).toBe(false);
    expect(last(req, AT).approved).toBe(true);
  });

  it('an inverted pattern that does not match approves (marks) the entry', () => {
    const d = decider("decrypt:\n- - rule: meta-rule\n    paths: ['!*.exe']\n");
    expect(d({ request_type: 'decrypt', auth_meta: meta(['a/b.txt', true]) }, AT).approved).toBe(true);
    expect(d({ request_type: 'decrypt', auth_meta: meta(['a/b.EXE', true]) }, AT).approved).toBe(false);
  });

  it('a matching inverted pattern stops the walk but keeps an earlier mark (the reference, case UTC-11-013)', () => {
    const d = decider("decrypt:\n- - rule: meta-rule\n    regexes: ['!^x$', '!tax(es|i)']\n    paths: ['!/HR*']\n    case_sensitive: true\n");
    expect(d({ request_type: 'decrypt', auth_meta: meta(['sub/taxi', true]) }, AT).approved).toBe(true);
    // Nothing marked yet: the first inverted pattern that matches denies, whatever follows.
    const first = decider("decrypt:\n- - rule: meta-rule\n    regexes: ['!tax(es|i)']\n    paths: ['!*.csv']\n");
    expect(first({ request_type: 'decrypt', auth_meta: meta(['taxes', true]) }, AT).approved).toBe(false);
    // The same across paths: `!/public` marks `/secret/x`, `!/secret` then stops the walk: approved.
    const paths = decider("decrypt:\n- - rule: meta-rule\n    paths: ['!/public', '!/secret']\n");
    expect(paths({ request_type: 'decrypt', auth_meta: meta(['secret/x.doc', true]) }, AT).approved).toBe(true);
    expect(paths({ request_type: 'decrypt', auth_meta: meta(['public/x.doc', true]) }, AT).approved).toBe(false);
  });

  it('every entry must be approved; empty, absolute or malformed metas cannot be decided', () => {
    const d = decider("decrypt:\n- - rule: meta-rule\n    paths: ['*.txt']\n");
    const at = (auth_meta: unknown) => d({ request_type: 'decrypt', auth_meta }, AT).approved;
    expect(at(meta(['a.txt', true], ['b.txt', false]))).toBe(true);
    expect(at(meta(['a.txt', true], ['b.pdf', true]))).toBe(false);
    expect(at([])).toBe(false);
    expect(at(undefined)).toBe(false);
    expect(at(meta(['', true]))).toBe(false);
    expect(at(meta(['/a.txt', true]))).toBe(false);
    expect(at([{ meta: 'a.txt' }])).toBe(false);
    expect(at('a.txt')).toBe(false);
  });

  it('a complete meta is matched with a leading slash, an incomplete one without; require_complete', () => {
    const d = decider("decrypt:\n- - rule: meta-rule\n    paths: ['/finance']\n- - rule: meta-rule\n    paths: ['finance/']\n    require_complete: true\n");
    expect(d({ request_type: 'decrypt', auth_meta: meta(['Finance/x', true]) }, AT).rule_set).toBe(0);
    expect(d({ request_type: 'decrypt', auth_meta: meta(['finance/x', false]) }, AT).approved).toBe(false);
    expect(d({ request_type: 'decrypt', auth_meta: meta(['a/finance/x', true]) }, AT).rule_set).toBe(1);
  });
});

describe('profile-id-rule (SPEC §4.2)', () => {
  it('hex ids in any case; the first N profile words', () => {
    const d = decider("decrypt:\n- - rule: profile-id-rule\n    profile_ids: ['00AABB', 'correct horse battery staple lamp']\n");
    const at = (profile: unknown) => d({ request_type: 'decrypt', profile }, AT).approved;
    expect(at({ profile_id: '00aabb' })).toBe(true);
    expect(at({ profile_id: 'ff', profile_words: ['correct', 'horse', 'battery', 'staple', 'lamp', 'more'] })).toBe(true);
    expect(at({ profile_id: 'ff', profile_words: ['correct', 'horse', 'battery', 'staple'] })).toBe(false);
    expect(at({ profile_id: 'ff', profile_words: ['x', 'correct', 'horse', 'battery', 'staple', 'lamp'] })).toBe(false);
    expect(at(null)).toBe(false);
  });
});

describe('time-range-rule (SPEC §4.3)', () => {
  it('exclude beats include, include beats days', () => {
    const d = decider("decrypt:\n- - rule: time-range-rule\n    days: [0, 2]\n    include: ['2022-03-15']\n    exclude: ['2022-03-16']\n");
    const at = (t: string) => d({ request_type: 'decrypt' }, t).approved;
    expect(at('2022-03-14T12:00:00Z')).toBe(true); // Monday
    expect(at('2022-03-15T12:00:00Z')).toBe(true); // included Tuesday
    expect(at('2022-03-16T12:00:00Z')).toBe(false); // excluded Wednesday (weekday 2 is allowed)
    expect(at('2022-03-23T12:00:00Z')).toBe(true); // the next Wednesday
    expect(at('2022-03-17T12:00:00Z')).toBe(false);
  });

  it('both ends are included, to the second', () => {
    const d = decider("decrypt:\n- - rule: time-range-rule\n    time_start: '09:00'\n    time_end: 5:00pm\n", '+04:00');
    const at = (t: string) => d({ request_type: 'decrypt' }, t).approved;
    expect(at('2022-03-15T09:00:00+04:00')).toBe(true);
    expect(at('2022-03-15T08:59:59+04:00')).toBe(false);
    expect(at('2022-03-15T17:00:00+04:00')).toBe(true);
    expect(at('2022-03-15T17:00:00.001+04:00')).toBe(false);
  });

  it('times with zones compare as seconds since midnight minus the offset, without wrapping', () => {
    const d = decider("decrypt:\n- - rule: time-range-rule\n    time_start: 17:00Z\n    time_end: 19:45+00:00\n", '+04:00');
    const at = (t: string) => d({ request_type: 'decrypt' }, t).approved;
    expect(at('2022-03-15T23:30:00+04:00')).toBe(true); // 19:30Z
    // 20:30Z of the day before is 00:30 local: 1800 - 14400 s is before 17:00Z, no wrap to the day before.
    expect(at('2022-03-16T00:30:00+04:00')).toBe(false);
    expect(at('2022-03-15T20:59:00+04:00')).toBe(false);
  });

  it('days and dates are the server zone\'s (an IANA zone with daylight saving time)', () => {
    const d = decider("decrypt:\n- - rule: time-range-rule\n    time_start: '08:00'\n    time_end: '09:00'\n    days: [6]\n", 'Europe/Berlin');
    // Sunday 2022-03-27, the day clocks go forward: 08:30 CEST is 06:30Z.
    expect(d({ request_type: 'decrypt' }, '2022-03-27T06:30:00Z').approved).toBe(true);
    expect(d({ request_type: 'decrypt' }, '2022-03-27T07:30:00Z').approved).toBe(false);
  });
});

describe('decisions and quotas (SPEC §2, §4.4)', () => {
  it('defaults: create_profile and create_location approve when absent; a type in the policy decides alone', () => {
    const d = decider('decrypt:\n- - rule: approve-rule\ncreate_location: []\n');
    expect(d({ request_type: 'create_profile' }, AT)).toEqual({ approved: true, rule_set: null, rule_ids: [] });
    expect(d({ request_type: 'create_location' }, AT).approved).toBe(false);
    expect(d({ request_type: 'rename' }, AT).approved).toBe(false);
    expect(d({ request_type: 42 }, AT).approved).toBe(false);
    expect(d({}, AT).approved).toBe(false);
  });

  it('uses are recorded only for the approving rule set, and two throttles count separately', () => {
    const d = decider(`decrypt:
- - rule: per-profile-throttle-rule
    per_hour: 1
  - rule: reject-rule
- - rule: per-profile-throttle-rule
    per_hour: 1
- - rule: per-profile-throttle-rule
    per_hour: 1
`);
    const req = { request_type: 'decrypt', profile: { profile_id: 'ab' } };
    expect(d(req, '2022-03-15T10:00:00Z').rule_set).toBe(1);
    expect(d(req, '2022-03-15T10:10:00Z').rule_set).toBe(2);
    expect(d(req, '2022-03-15T10:20:00Z').approved).toBe(false);
    expect(d(req, '2022-03-15T11:00:00Z').rule_set).toBe(1);
    expect(d({ request_type: 'decrypt', profile: { profile_id: 'cd' } }, '2022-03-15T11:00:00Z').rule_set).toBe(1);
    expect(d({ request_type: 'decrypt' }, '2022-03-15T11:00:00Z').approved).toBe(false);
  });

  it('an empty rule set approves', () => {
    const d = decider('decrypt:\n- []\n');
    expect(d({ request_type: 'decrypt' }, AT)).toEqual({ approved: true, rule_set: 0, rule_ids: [] });
  });
});
