/** runtime/server/decision-json.ts: the answer's body is JSON.stringify(answer), whatever the policy and request put in it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionJson } from '../../runtime/server/decision-json.js';
import type { SignedDecision } from '../../runtime/server/runtime.js';

const hex = (n: number) => fc.array(fc.constantFrom(...'0123456789abcdef'), { minLength: n, maxLength: n }).map((a) => a.join(''));
const base64 = fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64'));
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\u0000\n', '\ud800', 'rs-1'));
const reasons = fc.array(fc.record({ code: fc.string(), rule_set: fc.integer(), detail: fc.option(text) }), { maxLength: 3 });

const answer: fc.Arbitrary<SignedDecision> = fc.record({
  approved: fc.boolean(), rule_set: fc.option(fc.integer({ min: 0, max: 100 })), rule_ids: fc.array(text, { maxLength: 4 }),
  decision_id: fc.uuid(), request_sha256: hex(64), decided_at: fc.integer({ min: 0, max: 253402300799999 }).map((ms) => new Date(ms).toISOString()),
  policy_version: fc.integer({ min: 1, max: 1e6 }), policy_sha256: fc.oneof(hex(64), text), nonce: fc.option(text), signature: base64,
  batch: fc.record({ index: fc.nat(1023), size: fc.integer({ min: 1, max: 1024 }), path: fc.array(hex(64), { maxLength: 10 }) }),
}).chain((a) => fc.oneof(fc.constant(a), reasons.map((r) => ({ ...a, reasons: r })), fc.array(fc.string(), { maxLength: 3 }).map((c) => ({ ...a, reason_codes: c })))) as fc.Arbitrary<SignedDecision>;

describe('decisionJson', () => {
  it('writes what JSON.stringify writes for the runtime\'s answers (property)', () => {
    fc.assert(fc.property(answer, (a) => {
      expect(decisionJson(a)).toBe(JSON.stringify(a));
    }), { numRuns: 3000 });
  });

  it('leaves an answer of unexpected types to JSON.stringify', () => {
    const a = { approved: 'yes', rule_set: Number.NaN, rule_ids: [1], decision_id: 'd', request_sha256: 'r', decided_at: 't', policy_version: 1, policy_sha256: 'p', nonce: null, signature: 's', batch: { index: 0, size: 1, path: [] } };
    expect(decisionJson(a as unknown as SignedDecision)).toBe(JSON.stringify(a));
    expect(decisionJson({ ...a, approved: true, rule_set: null } as unknown as SignedDecision)).toBe(JSON.stringify({ ...a, approved: true, rule_set: null }));
  });
});
