import { describe, expect, it } from 'vitest';
import { limitedLogger } from '../../runtime/server/limited-log.js';
import { jsonLogger } from '../../runtime/server/log.js';
import { Metrics } from '../../runtime/server/metrics.js';

describe('logs', () => {
  it('JSON lines with ts, level and msg; secrets redacted at the top level and one object down', () => {
    const out: string[] = [];
    const log = jsonLogger('info', (l) => out.push(l));
    log('info', 'hello', { token: 'kss_secret', token_id: 'abc', nested: { authorization: 'Bearer x', password: 'p' }, n: 1 });
    log('debug', 'hidden');
    expect(out).toHaveLength(1);
    const line = JSON.parse(out[0]!);
    expect(line).toMatchObject({ level: 'info', msg: 'hello', token: '[redacted]', token_id: 'abc', nested: { authorization: '[redacted]', password: '[redacted]' }, n: 1 });
    expect(Date.parse(line.ts)).not.toBeNaN();
    expect(out[0]).not.toContain('kss_secret');
  });

  it('a repeated failure is logged once per window, with the count left out', () => {
    let t = 0;
    const seen: Array<Record<string, unknown>> = [];
    const log = limitedLogger((_l, msg, f = {}) => seen.push({ msg, ...f }), 5000, () => t);
    for (let i = 0; i < 100; i++) log('error', 'a decision failed', { error: 'disk full' });
    log('error', 'a decision failed', { error: 'another reason' });
    t = 5001;
    log('error', 'a decision failed', { error: 'disk full' });
    expect(seen).toEqual([
      { msg: 'a decision failed', error: 'disk full' },
      { msg: 'a decision failed', error: 'another reason' },
      { msg: 'a decision failed', error: 'disk full', repeated: 99 },
    ]);
  });
});

describe('metrics', () => {
  it("today's series and prom-client's default process metrics", async () => {
    const m = new Metrics();
    m.decision('decrypt', true, 0.002);
    m.response('POST /v1/requests', 200);
    m.enabled = true;
    m.policyVersion = 7;
    const text = await m.render();
    expect(text).toMatch(/^kss_decisions_total\{request_type="decrypt",result="approved"\} 1$/m);
    expect(text).toMatch(/^kss_decision_duration_seconds_bucket\{le="0\.0025"\} 1$/m);
    expect(text).toMatch(/^kss_http_responses_total\{route="POST \/v1\/requests",status="200"\} 1$/m);
    expect(text).toMatch(/^kss_match_undecided_total\{reason="step-budget"\} 0$/m);
    expect(text).toMatch(/^kss_enabled 1$/m);
    expect(text).toMatch(/^kss_policy_version 7$/m);
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds']) expect(text).toContain(`# TYPE ${name}`);
  });
});
