/**
 * Issue 10 §1 over real HTTP: patterns that make a backtracking engine take exponential or
 * polynomial time (`(a+)+$`, the glob `*a*a*b`) are answered as Python's `re` decides them, at once,
 * while /healthz keeps answering; a backtracking pattern that exceeds its step budget does not
 * approve, and is logged (without the meta) and counted in /metrics. Timing is the benchmark's
 * business (bench/adversarial.bench.mjs): here a match that blew up would hold the event loop for
 * hours and the test would time out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../runtime/server/app.js';
import { askPython } from '../grammars/oracle.js';
import { decrypt, makeKeyserver, post, requestWithoutBody as get, type Keyserver } from './helpers.js';

const POLICY = `
decrypt:
  - - rule: meta-rule
      regexes: ['(?=(?:c|cc){0,16}x)']
  - - rule: meta-rule
      regexes: ['(a+)+$']
  - - rule: meta-rule
      paths: ['*a*a*b']
`;

const meta = (m: string) => decrypt(undefined, { auth_meta: [{ meta: m, complete: true }] });
const lines: Array<Record<string, unknown>> = [];
let ks: Keyserver;
let srv: RunningServer;

beforeAll(async () => {
  ks = await makeKeyserver(POLICY);
  srv = await startServer({ dataDir: ks.dir, port: 0, tz: 'UTC', pollMs: 50, logger: (level, msg, fields) => lines.push({ level, msg, ...fields }) });
});
afterAll(async () => {
  await srv.close();
  ks.cleanup();
});

describe('adversarial patterns over HTTP', () => {
  it('decide like Python, and /healthz answers beside them', async () => {
    const cases: Array<[string, number | null]> = [
      [`evil/${'a'.repeat(29)}!`, null],
      // The longest metas a request may carry (4096 characters).
      [`evil/${'a'.repeat(4090)}!`, null],
      [`evil/${'a'.repeat(4091)}`, 1],
      [`y/${'a'.repeat(4093)}b`, 2],
      [`y/${'a'.repeat(4094)}`, 1],
      [`y/${'a/'.repeat(2046)}c`, null],
    ];
    // Python itself backtracks for hours on the long denials: ask it about the same shapes, short.
    const shortly = (m: string) => m.replace(/(.)\1{11,}/g, (run) => run.slice(0, 12)).replace(/(a\/){6,}/g, 'a/a/a/a/a/');
    const subjects = cases.map(([m]) => `/${shortly(m)}`);
    const [py0, py1, py2] = askPython([
      { op: 'search', p: '(?=(?:c|cc){0,16}x)', i: true, s: subjects },
      { op: 'search', p: '(a+)+$', i: true, s: subjects },
      { op: 'path', p: '*a*a*b', i: true, s: subjects },
    ]);
    cases.forEach(([, ruleSet], k) => {
      const python = py0!.m[k] ? 0 : py1!.m[k] ? 1 : py2!.m[k] ? 2 : null;
      expect(python, `Python on ${subjects[k]}`).toBe(ruleSet);
    });

    const answers = cases.map(([m]) => post(srv.url, ks.client, meta(m)));
    const health = get(srv.url, null, '/healthz');
    const [h, ...decisions] = await Promise.all([health, ...answers]);
    expect(h).toMatchObject({ status: 200, json: { status: 'ok' } });
    decisions.forEach((d, k) => {
      expect(d.status).toBe(200);
      expect({ approved: d.json.approved, rule_set: d.json.rule_set }).toEqual({ approved: cases[k]![1] !== null, rule_set: cases[k]![1] });
    });
    expect(lines.filter((l) => l.msg === 'a pattern could not be matched: the rule did not approve')).toEqual([]);
  });

  it('a match past its step budget does not approve, is logged without the meta, and is counted', async () => {
    const before = (await get(srv.url, null, '/metrics')).text;
    expect(before).toContain('kss_match_undecided_total{reason="step-budget"} 0');
    // Every position starts a look-ahead that tries the ~1,600 ways of splitting 16 `c`s into `c` and `cc`.
    const m = `budget/${'c'.repeat(300)}!`;
    const d = await post(srv.url, ks.client, meta(m));
    expect(d.json).toMatchObject({ approved: false, rule_set: null });
    const logged = lines.filter((l) => l.msg === 'a pattern could not be matched: the rule did not approve');
    expect(logged).toEqual([{ level: 'warn', msg: 'a pattern could not be matched: the rule did not approve', pattern: '(?=(?:c|cc){0,16}x)', reason: 'step-budget', meta_length: m.length + 1 }]);
    expect(JSON.stringify(lines)).not.toContain('ccccc');
    expect((await get(srv.url, null, '/metrics')).text).toContain('kss_match_undecided_total{reason="step-budget"} 1');
    // The same meta with an `x` where the look-ahead can see it approves: the budget is per match, not a ban.
    expect((await post(srv.url, ks.client, meta(`budget/ccx`))).json).toMatchObject({ approved: true, rule_set: 0 });
  });
});
