/** `kss eval` and `kss explain` end to end: JSON Lines in, one decision per line out, quota across lines. */
import { describe, expect, it } from 'vitest';
import { folder, kss } from './cli.js';

const POLICY = `decrypt:
  - - rule: profile-id-rule
      profile_ids: ['00112233445566778899aabbccddeeff']
    - rule: meta-rule
      paths: ['/finance']
    - rule: per-profile-throttle-rule
      rule_id: finance-hourly
      per_hour: 2
  - - rule: time-range-rule
      time_start: '09:00'
      time_end: '17:00'
    - rule: meta-rule
      paths: ['/public']
`;
const req = (at: string, meta: string) =>
  JSON.stringify({ at, request_type: 'decrypt', profile: { profile_id: '00112233445566778899AABBCCDDEEFF' }, auth_meta: [{ meta, complete: true }] });

describe('kss eval', () => {
  it('decides line by line, keeps quota across lines, and reports a bad line by number without stopping', () => {
    const dir = folder({
      'p.yml': POLICY,
      'r.jsonl': [req('2022-03-15T10:00:00Z', 'finance/a'), req('2022-03-15T10:10:00Z', 'finance/b'), req('2022-03-15T10:20:00Z', 'finance/c'), '{oops', '', req('2022-03-15T12:00:00+04:00', 'public/x'), '[1]'].join('\n'),
    });
    const r = kss(['eval', '--policy', 'p.yml', '--requests', 'r.jsonl', '--tz', '+04:00'], undefined, dir);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.line, l.approved ?? 'error', l.rule_set])).toEqual([
      [1, true, 0], [2, true, 0], [3, false, null], [4, 'error', undefined], [6, true, 1], [7, 'error', undefined],
    ]);
    expect(lines[0].rule_ids[2]).toBe('finance-hourly');
    // The same run with --trace says why the third one was refused.
    const traced = kss(['eval', '--policy', 'p.yml', '--requests', 'r.jsonl', '--tz', '+04:00', '--trace'], undefined, dir).stdout.trim().split('\n').map((l) => JSON.parse(l));
    const throttle = traced[2].trace[0].rules.find((x: { kind: string }) => x.kind === 'per-profile-throttle-rule');
    expect(throttle).toMatchObject({ ruleId: 'finance-hourly', approved: false, reason: 'hour count 2 reached per_hour 2; nothing recorded' });
    expect(r.stderr).toContain('r.jsonl:4: not valid JSON');
    expect(r.stderr).toContain('r.jsonl:7: a request must be a JSON object');
    expect(r.status).toBe(1);
  });

  it('reads the time in the given zone (09:00-17:00 server time)', () => {
    const dir = folder({ 'p.yml': POLICY, 'r.jsonl': req('2022-03-15T08:30:00Z', 'public/x') });
    const at = (tz: string) => JSON.parse(kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl', '--tz', tz], undefined, dir).stdout).approved;
    expect(at('UTC')).toBe(false);
    expect(at('Europe/Berlin')).toBe(true);
    expect(at('-05:00')).toBe(false);
  });

  it('with --trace says which rules passed or failed and why; both engines agree', () => {
    const dir = folder({ 'p.yml': POLICY, 'r.jsonl': req('2022-03-15T10:00:00Z', 'hr/x') });
    const traced = JSON.parse(kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl', '--tz', 'UTC', '--trace'], undefined, dir).stdout);
    expect(traced.approved).toBe(false);
    expect(traced.trace.map((s: { rules: Array<{ kind: string; approved: boolean }> }) => s.rules.map((x) => `${x.kind}:${x.approved}`))).toEqual([
      ['profile-id-rule:true', 'meta-rule:false'],
      ['time-range-rule:true', 'meta-rule:false'],
    ]);
    const plain = kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl', '--tz', 'UTC', '--engine', 'plain'], undefined, dir).stdout;
    const fast = kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl', '--tz', 'UTC'], undefined, dir).stdout;
    expect(fast).toBe(plain);
  });

  it('compiles in the server zone of --tz: the zone\'s own abbreviation with daylight saving is refused there (SPEC 4.3)', () => {
    const dir = folder({ 'p.yml': 'decrypt:\n- - rule: time-range-rule\n    time_start: 9:00am EST\n    time_end: 5:00pm EST\n', 'r.jsonl': req('2022-03-15T15:00:00Z', 'x') });
    const refused = kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl', '--tz', 'America/New_York'], undefined, dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('error[KSS2015]');
    expect(refused.stdout).toBe('');
    expect(JSON.parse(kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl', '--tz', 'UTC'], undefined, dir).stdout)).toMatchObject({ approved: true });
  });

  it('refuses a policy with errors, with the diagnostic and no decisions', () => {
    const dir = folder({ 'p.yml': 'decrypt:\n  - - rule: per-profile-throttle-rule\n      per_days: 3\n', 'r.jsonl': req('2022-03-15T10:00:00Z', 'x') });
    const r = kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl'], undefined, dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/p\.yml:3:7: error/);
    expect(r.stderr).toContain('nothing was evaluated');
  });

  it('rejects an unknown time zone with a usage error', () => {
    const dir = folder({ 'p.yml': POLICY, 'r.jsonl': '' });
    const r = kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl', '--tz', 'Mars/Olympus'], undefined, dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown time zone `Mars/Olympus`');
  });
});

describe('kss explain', () => {
  it('explains rule set by rule set', () => {
    const dir = folder({ 'p.yml': POLICY, 'q.json': req('2022-03-15T10:00:00Z', 'public/x') });
    const r = kss(['explain', '-p', 'p.yml', '-r', 'q.json', '--tz', 'UTC'], undefined, dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('rule set 0: does not approve');
    expect(r.stdout).toMatch(/FAIL {2}meta-rule \w+: not every meta of `public\/x` is allowed/);
    expect(r.stdout).toContain('APPROVED by rule set 1');
    const late = kss(['explain', '-p', 'p.yml', '-r', 'q.json', '--tz', 'UTC', '--at', '2022-03-15T18:00:00Z'], undefined, dir);
    expect(late.stdout).toContain('DENIED');
  });
});
