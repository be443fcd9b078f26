/**
 * describeZone: the ZoneInfo the compiler gets. Abbreviations must be what Python's `time.tzname`
 * gives on a Linux server in that zone; checked against the real Python for every zone the system
 * has, and pinned for the zones of SPEC 4.6's cases.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeZone, ZoneError } from '../../runtime/time/index.js';
import { parsePosixTz, parseTzif, readSystemTzif, typeAt } from '../../runtime/time/tzif.js';

const MID_2026 = Date.parse('2026-06-15T12:00:00Z');

describe('describeZone', () => {
  it('describes the zones of the daylight-saving cases', () => {
    expect(describeZone('America/New_York', MID_2026)).toEqual({ name: 'America/New_York', hasDaylightSaving: true, offsetsSeconds: [-18_000, -14_400], abbreviations: ['EST', 'EDT'] });
    expect(describeZone('Europe/London', MID_2026)).toEqual({ name: 'Europe/London', hasDaylightSaving: true, offsetsSeconds: [0, 3600], abbreviations: ['GMT', 'BST'] });
    expect(describeZone('Australia/Lord_Howe', MID_2026)).toEqual({ name: 'Australia/Lord_Howe', hasDaylightSaving: true, offsetsSeconds: [37_800, 39_600], abbreviations: ['+1030', '+11'] });
    expect(describeZone('Asia/Kolkata', MID_2026)).toEqual({ name: 'Asia/Kolkata', hasDaylightSaving: false, offsetsSeconds: [19_800], abbreviations: ['IST'] });
    expect(describeZone('UTC', MID_2026)).toEqual({ name: 'UTC', hasDaylightSaving: false, offsetsSeconds: [0], abbreviations: ['UTC'] });
    expect(describeZone('+04:00', MID_2026)).toEqual({ name: '+04:00', hasDaylightSaving: false, offsetsSeconds: [14_400], abbreviations: [] });
  });

  it('refuses a zone that is none, with the one message', () => {
    expect(() => describeZone('+25:00', MID_2026)).toThrow(ZoneError);
    expect(() => describeZone('Mars/Olympus', MID_2026)).toThrow(/unknown time zone `Mars\/Olympus`/);
  });

  it('gives the abbreviations Python gives as time.tzname, for every zone of the system', () => {
    const zones = Intl.supportedValuesOf('timeZone').filter((z) => readSystemTzif(z) !== null);
    expect(zones.length).toBeGreaterThan(300);
    // One Python process sets TZ for each zone in turn, as a server started in that zone would.
    const script = 'import json,os,sys,time\nfor z in json.load(sys.stdin):\n os.environ["TZ"]=z; time.tzset(); print(json.dumps([z, list(time.tzname), time.daylight]))';
    const run = spawnSync(process.env.KSS_ORACLE_PYTHON ?? 'python3', ['-c', script], { input: JSON.stringify(zones), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const now = Date.now();
    const wrong = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as [string, string[], number]).flatMap(([z, names, daylight]) => {
      const info = describeZone(z, now);
      const python = [...new Set(names.map((n) => n.toUpperCase()))];
      return JSON.stringify(info.abbreviations) === JSON.stringify(python) && info.hasDaylightSaving === (daylight === 1) ? [] : [{ z, ours: info, python: names, daylight }];
    });
    expect(wrong).toEqual([]);
  });
});

describe('TZif files', () => {
  it('reads the header, the types and the abbreviation table', () => {
    const ny = parseTzif(readFileSync('/usr/share/zoneinfo/America/New_York'));
    expect(ny.types.map((t) => t.abbreviation)).toEqual(expect.arrayContaining(['EST', 'EDT', 'LMT']));
    expect(ny.footer).toEqual({ std: { abbreviation: 'EST', offsetSeconds: -18_000 }, dst: { abbreviation: 'EDT', offsetSeconds: -14_400 } });
    const summer = Date.parse('2026-07-01T00:00:00Z') / 1000;
    expect(typeAt(ny, summer, -14_400)).toEqual({ offsetSeconds: -14_400, isDst: true, abbreviation: 'EDT' });
    expect(typeAt(ny, Date.parse('1800-01-01T00:00:00Z') / 1000, 0).abbreviation).toBe('LMT');
  });

  it('uses the footer after the last transition', () => {
    const tzif = { transitions: [0], typeIndexes: [0], types: [{ offsetSeconds: 0, isDst: false, abbreviation: 'OLD' }], footer: parsePosixTz('<+1030>-10:30<+11>-11,M10.1.0,M4.1.0') };
    expect(typeAt(tzif, -1, 0).abbreviation).toBe('OLD');
    expect(typeAt(tzif, 10, 39_600)).toEqual({ offsetSeconds: 39_600, isDst: true, abbreviation: '+11' });
    expect(typeAt(tzif, 10, 37_800)).toEqual({ offsetSeconds: 37_800, isDst: false, abbreviation: '+1030' });
  });

  it('reads POSIX TZ strings', () => {
    expect(parsePosixTz('EST5EDT,M3.2.0,M11.1.0')).toEqual({ std: { abbreviation: 'EST', offsetSeconds: -18_000 }, dst: { abbreviation: 'EDT', offsetSeconds: -14_400 } });
    expect(parsePosixTz('IST-5:30')).toEqual({ std: { abbreviation: 'IST', offsetSeconds: 19_800 }, dst: null });
    expect(parsePosixTz('<-03>3')).toEqual({ std: { abbreviation: '-03', offsetSeconds: -10_800 }, dst: null });
    expect(parsePosixTz('GMT0BST,M3.5.0/1,M10.5.0')).toEqual({ std: { abbreviation: 'GMT', offsetSeconds: 0 }, dst: { abbreviation: 'BST', offsetSeconds: 3600 } });
    expect(() => parsePosixTz('5EST')).toThrow();
  });

  it('refuses files that are not TZif, without reading past their end', () => {
    expect(() => parseTzif(new TextEncoder().encode('not a zone file at all, but long enough for a header'))).toThrow(/not a TZif/);
    const ny = readFileSync('/usr/share/zoneinfo/America/New_York');
    expect(() => parseTzif(ny.subarray(0, 60))).toThrow(/truncated/);
    expect(() => parseTzif(ny.subarray(0, 20))).toThrow(/truncated/);
    expect(readSystemTzif('../../etc/passwd')).toBeNull();
    expect(existsSync('/usr/share/zoneinfo/UTC')).toBe(true);
  });
});
