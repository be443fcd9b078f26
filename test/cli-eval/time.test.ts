/**
 * The server zone and the request's time at the command line (SPEC 4.6): one message for a zone
 * that is none, wherever a zone is given; `at` exact to the microsecond; readings at the offset of
 * each request in an IANA zone.
 */
import { describe, expect, it } from 'vitest';
import { kss as serveKss } from '../server/cli-helpers.js';
import { folder, kss } from './cli.js';

const MESSAGE = 'unknown time zone `+25:00`: use an IANA name such as `Europe/Berlin`, `UTC`, or a fixed offset such as `+04:00`';
const OFFICE = "decrypt:\n  - - rule: time-range-rule\n      time_start: '09:00'\n      time_end: '17:00'\n";
const HOURLY = 'decrypt:\n  - - rule: per-profile-throttle-rule\n      per_hour: 1\n';
const request = (at: string) => JSON.stringify({ at, request_type: 'decrypt', profile: { profile_id: '00112233445566778899aabbccddeeff' } });

describe('the server zone', () => {
  it('is refused with one message by eval, explain, bench, test files and quota list', () => {
    const dir = folder({ 'p.yml': OFFICE, 'r.jsonl': request('2026-07-15T10:00:00Z'), 't.test.yml': 'policy: p.yml\ntz: "+25:00"\ncases:\n  - {at: 2026-07-15T10:00:00Z, request: {request_type: decrypt}, expect: {approved: true}}\n' });
    for (const args of [['eval', '-p', 'p.yml', '-r', 'r.jsonl'], ['explain', '-p', 'p.yml', '-r', 'r.jsonl'], ['bench', '-p', 'p.yml', '-r', 'r.jsonl', '--seconds', '0.1']]) {
      const r = kss([...args, '--tz', '+25:00'], undefined, dir);
      expect(r.status, args[0]).toBe(2);
      expect(r.stderr.trim(), args[0]).toBe(`kss: ${MESSAGE}`);
    }
    const t = kss(['test', 't.test.yml'], undefined, dir);
    expect(t.status).toBe(1);
    expect(t.stdout).toContain(MESSAGE);
    const q = kss(['keyserver', 'quota', 'list', '--tz', '+25:00', '--data-dir', dir], undefined, dir);
    expect(q.status).toBe(2);
    expect(q.stderr).toContain(MESSAGE);
  });

  it('is refused by kss serve before it opens anything', () => {
    const dir = folder({});
    const r = serveKss(['serve', '--data-dir', dir, '--port', '0', '--tz', '+25:00']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(MESSAGE);
  });
});

describe('the request time', () => {
  it('is read to the microsecond: 17:00:00.000001 is after a window ending at 17:00', () => {
    const ats = ['2026-07-15T17:00:00-04:00', '2026-07-15T17:00:00.000001-04:00', '2026-07-15T16:59:59.999999', '2026-07-15T08:59:59.999999-04:00'];
    const dir = folder({ 'p.yml': OFFICE, 'r.jsonl': ats.map(request).join('\n'), 'q.json': request(ats[0]!) });
    const r = kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl', '--tz', 'America/New_York'], undefined, dir);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).approved)).toEqual([true, false, true, false]);
    const x = kss(['explain', '-p', 'p.yml', '-r', 'q.json', '--tz', 'America/New_York', '--at', '2026-07-15T17:00:00.000001-04:00'], undefined, dir);
    expect(x.stdout).toContain('request `decrypt` at 2026-07-15T21:00:00.000001Z (server zone America/New_York: 2026-07-15, 17h)');
    expect(x.stdout).toContain('DENIED');
  });

  it('counts the repeated hour of a fall-back as another hour (eval and kss test)', () => {
    const ats = ['2026-11-01T01:30:00-04:00', '2026-11-01T01:10:00-05:00', '2026-11-01T01:40:00-05:00'];
    const tests = `policy: p.yml\ntz: America/New_York\ncases:\n  - name: the second 01:00 is another hour\n    steps:\n${ats.map((at, i) => `      - {at: '${at}', request: {request_type: decrypt, profile: {profile_id: '00112233445566778899aabbccddeeff'}}, expect: {approved: ${i < 2}}}`).join('\n')}\n`;
    const dir = folder({ 'p.yml': HOURLY, 'r.jsonl': ats.map(request).join('\n'), 't.test.yml': tests });
    const r = kss(['eval', '-p', 'p.yml', '-r', 'r.jsonl', '--tz', 'America/New_York'], undefined, dir);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).approved)).toEqual([true, true, false]);
    const t = kss(['test', 't.test.yml'], undefined, dir);
    expect(t.stdout).toContain('1 passed, 0 failed');
  });
});
