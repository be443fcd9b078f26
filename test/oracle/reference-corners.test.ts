/**
 * The reference's corners of issue 9 §3 (SPEC 4.1, 4.3, 4.4, 5), each with the reference's answer:
 * what it loads and how it decides, or that it cannot load the policy (kss then refuses it with an
 * error), or, where SPEC deliberately differs, SPEC's answer. The reference is AtakamaLLC
 * policy_basics (per_profile_throttle.py: `INFINITE = -1`; time_range.py: dateutil, LOCAL_TIMEZONE;
 * meta_str.py: `ent[0]`).
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../compiler/compile.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';

const NEW_YORK: ZoneInfo = { name: 'America/New_York', hasDaylightSaving: true, offsetsSeconds: [-18000, -14400], abbreviations: ['EST', 'EDT'] };
const REQUEST = { request_type: 'decrypt', profile: { profile_id: 'aabbccdd' } } as KssRequest;

/** The error codes a load would refuse the policy with (none: it loads). */
function refusal(policy: string, zone?: ZoneInfo): string[] {
  const { artifact, diagnostics } = compilePolicy(policy, 'p.yml', zone ? { zone } : {});
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  expect(artifact === null).toBe(errors.length > 0);
  return errors;
}

function warnings(policy: string): string[] {
  return compilePolicy(policy, 'p.yml').diagnostics.filter((d) => d.severity === 'warning').map((d) => d.code);
}

/** Decisions of both engines for `times` requests one minute apart, with one quota store. */
function decisions(policy: string, times: number): boolean[] {
  const { artifact } = compilePolicy(policy, 'p.yml');
  const engines = (['plain', 'optimized'] as const).map((engine) => ({ program: loadProgram(artifact!, { engine }), quota: new MemoryQuota() }));
  return Array.from({ length: times }, (_, i) => {
    const [plain, fast] = engines.map(({ program, quota }) => program.decide(REQUEST, context(Date.parse('2022-03-15T10:00:00Z') + i * 60_000), quota).approved);
    expect(fast).toBe(plain);
    return plain!;
  });
}

const throttle = (...args: string[]) => ['decrypt:', '- - rule: per-profile-throttle-rule', "    rule_id: 't'", ...args.map((a) => `    ${a}`)].join('\n') + '\n';
const window = (start: string, end: string) => `decrypt:\n- - rule: time-range-rule\n    time_start: ${start}\n    time_end: ${end}\n`;

describe('the throttle as the reference reads it (SPEC 4.4)', () => {
  it('per_hour and per_day of -1 are unlimited (`INFINITE = -1`)', () => {
    expect(decisions(throttle('per_hour: -1', 'per_day: -1'), 12)).toEqual(Array(12).fill(true));
    expect(decisions(throttle('per_hour: -1', 'per_day: 3'), 4)).toEqual([true, true, true, false]);
  });

  it('a limit of 0 never approves: a warning, not an error', () => {
    expect(refusal(throttle('per_day: 0'))).toEqual([]);
    expect(warnings(throttle('per_day: 0'))).toContain('KSS3002');
    expect(decisions(throttle('per_day: 0'), 2)).toEqual([false, false]);
  });

  it('the storage arguments load, with a warning that kss ignores them', () => {
    const policy = throttle('per_day: 2', 'persistent: true', 'expiry_secs: 30', "db-file: '~/profile-throttle.db'", "db-uri: 'sqlite:///x'", 'db-table: quota');
    expect(refusal(policy)).toEqual([]);
    expect(warnings(policy)).toEqual(['KSS3013', 'KSS3013', 'KSS3013', 'KSS3013']);
    expect(decisions(policy, 3)).toEqual([true, true, false]);
  });
});

describe('policies the reference cannot load or never decides are refused (SPEC 4.1, 4.3, 5)', () => {
  it('an empty regex (`ent[0]` fails)', () => {
    expect(refusal("decrypt:\n- - rule: meta-rule\n    regexes: ['']\n")).toEqual(['KSS2009']);
    // `!` alone is an inverted empty regex, which it loads.
    expect(refusal("decrypt:\n- - rule: meta-rule\n    regexes: ['!']\n")).toEqual([]);
  });

  it('a time with a zone abbreviation beside one without', () => {
    expect(refusal(window('9:00am EST', '5:00pm'))).toEqual(['KSS2014']);
    expect(refusal(window('9:00am EST', '5:00pm EST'))).toEqual([]);
  });

  it('the server zone\'s own abbreviation in a zone with daylight saving, where the zone is known', () => {
    expect(refusal(window('9:00am EST', '5:00pm EST'), NEW_YORK)).toEqual(['KSS2015', 'KSS2015']);
    expect(warnings(window('9:00am EST', '5:00pm EST'))).toEqual(['KSS3007', 'KSS3007']);
  });

  it('a numeric rule_id on a throttle (it never approves its rule set); elsewhere a number is an id', () => {
    expect(refusal("decrypt:\n- - rule: per-profile-throttle-rule\n    rule_id: 7\n    per_day: 5\n")).toEqual(['KSS2016']);
    const { artifact } = compilePolicy("decrypt:\n- - rule: approve-rule\n    rule_id: 7\n", 'p.yml');
    expect(artifact!.ruleIds).toEqual({ decrypt: [['7']] });
  });

  it('a rule_id longer than 200 characters, with a control character or a comma', () => {
    expect(refusal(`decrypt:\n- - rule: approve-rule\n    rule_id: ${'x'.repeat(201)}\n`)).toEqual(['KSS2016']);
    expect(refusal("decrypt:\n- - rule: approve-rule\n    rule_id: 'a,b'\n")).toEqual(['KSS2016']);
  });

  it('time_start with an offset not before a naive time_end, once the zone is known', () => {
    // 13:30Z vs 9:00 in New York: 14:00Z in winter (in order), 13:00Z in summer (not).
    expect(refusal(window('13:30Z', "'9:00'"), NEW_YORK)).toEqual(['KSS2004']);
    expect(refusal(window('13:30Z', "'9:00'"))).toEqual([]);
    expect(warnings(window('13:30Z', "'9:00'"))).toContain('KSS3012');
  });

  it('a profile-id-rule without profile_ids (`args["profile_ids"]` fails)', () => {
    expect(refusal('decrypt:\n- - rule: profile-id-rule\n')).toEqual(['KSS1106']);
  });
});

describe('YAML as the reference (PyYAML, YAML 1.1) reads it', () => {
  it('warns about U+0085 and U+2028 in a value; `!!str 9:00` is not an unquoted time', () => {
    expect(warnings('decrypt:\n- - rule: meta-rule\n    paths: ["/a\u0085b"]\n')).toEqual(['KSS3006']);
    expect(warnings(window('!!str 9:00', '!!str 17:00'))).toEqual([]);
    expect(warnings(window('9:00', "'17:00'"))).toEqual(['KSS3006']);
  });
});
