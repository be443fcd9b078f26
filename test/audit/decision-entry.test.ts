/** A decision's audit entry keeps what a replay needs: the request rebuilt from it is the request. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionEntryData, decisionEntryJson, hasRequestFields, requestFromEntry } from '../../runtime/audit/decision-entry.js';
import { canonicalJson } from '../../runtime/json/canonical.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';

const hex = fc.stringMatching(/^[0-9a-fA-F]{2,32}$/);
const request: fc.Arbitrary<KssRequest> = fc.record(
  {
    request_type: fc.constantFrom('decrypt', 'search', 'rename', 'unknown-type'),
    device_id: hex,
    cryptographic_id: hex,
    profile: fc.record({ profile_id: hex, profile_words: fc.array(fc.string(), { maxLength: 6 }) }, { requiredKeys: [] }),
    auth_meta: fc.array(fc.record({ meta: fc.string({ unit: 'grapheme', minLength: 1 }), complete: fc.boolean() }), { maxLength: 4 }),
    nonce: fc.stringMatching(/^[!-~]{1,16}$/),
  },
  { requiredKeys: ['request_type'] },
);
const ctx = { decisionId: 'd-1', requestSha256: 'ab'.repeat(32), tokenId: 'tok_1', policyVersion: 3, policySha256: 'cd'.repeat(32) };
const decision = { approved: true, rule_set: 0, rule_ids: ['r1', 'r2'] };

/** The request as the evaluator reads it: profile id lower case, an empty profile the same as none. */
function normalised(req: KssRequest): KssRequest {
  const out: Record<string, unknown> = { ...req };
  const p = { ...req.profile };
  if (p.profile_id !== undefined) p.profile_id = p.profile_id.toLowerCase();
  if (Object.keys(p).length > 0) out.profile = p;
  else delete out.profile;
  return out as KssRequest;
}

describe('decision entries', () => {
  it('record every field an investigator needs', () => {
    const req = { request_type: 'decrypt', device_id: '9f2c', cryptographic_id: '77ab', profile: { profile_id: 'AABB' }, auth_meta: [{ meta: 'f/a.pdf', complete: true }] };
    expect(decisionEntryData(req, decision, ctx)).toEqual({
      decision_id: 'd-1', token_id: 'tok_1', request_sha256: ctx.requestSha256, policy_version: 3, policy_sha256: ctx.policySha256,
      approved: true, rule_set: 0, rule_ids: ['r1', 'r2'], request_type: 'decrypt', profile_id: 'aabb', device_id: '9f2c',
      cryptographic_id: '77ab', auth_meta: [{ meta: 'f/a.pdf', complete: true }],
    });
  });

  it('round trip: the request rebuilt from a stored entry is the request the evaluator decided on', () => {
    fc.assert(fc.property(request, (req) => {
      // Through the row text, as the store keeps it.
      const stored = JSON.parse(canonicalJson(decisionEntryData(req, decision, ctx))) as Record<string, unknown>;
      expect(hasRequestFields(stored)).toBe(true);
      expect(requestFromEntry(stored)).toEqual(normalised(req));
    }), { numRuns: 300 });
  });

  it('its text written from the known keys is canonicalJson of the data (property)', () => {
    // The runtime's entries (request, reasons, shadow, custody extras), and any other key or value there.
    const anyValue = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.array(fc.anything()), fc.anything());
    const odd = fc.dictionary(fc.constantFrom('approved', 'auth_meta', 'nonce', 'reasons', 'shadow', 'rule_set', 'profile_words', 'shard_file_id', 'zz', 'a', '__other'), anyValue, { maxKeys: 4 });
    const metas = fc.array(fc.oneof(
      fc.record({ meta: fc.string(), complete: fc.boolean() }),
      fc.record({ complete: fc.boolean(), meta: fc.string() }),
      fc.record({ meta: fc.oneof(fc.string(), fc.integer()), complete: fc.oneof(fc.boolean(), fc.constant(null)), extra: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
    ), { maxLength: 4 });
    const outcome = fc.record({ approved: fc.boolean(), rule_set: fc.option(fc.integer({ min: 0, max: 9 })), rule_ids: fc.array(fc.string(), { maxLength: 3 }) });
    fc.assert(fc.property(request, outcome, metas, odd, fc.boolean(), (req, d, auth_meta, more, replaceMetas) => {
      const data: Record<string, unknown> = decisionEntryData(replaceMetas ? { ...req, auth_meta: auth_meta as KssRequest['auth_meta'] } : req, d, ctx);
      expect(decisionEntryJson(data)).toBe(canonicalJson(data));
      Object.assign(data, more);
      expect(decisionEntryJson(data)).toBe(canonicalJson(data));
    }), { numRuns: 1000 });
    // A sparse auth_meta keeps its holes as canonicalJson does.
    const sparse = decisionEntryData({ request_type: 'decrypt', auth_meta: [, { meta: 'a', complete: true }] as unknown as KssRequest['auth_meta'] }, decision, ctx);
    expect(decisionEntryJson(sparse)).toBe(canonicalJson(sparse));
    const reasons = { ...decisionEntryData({ request_type: 'decrypt' }, { approved: false, rule_set: null, rule_ids: [] }, ctx), reasons: [{ rule_set: 0, rule_id: null, kind: 'meta-rule', code: 'no-match', reason: 'x' }], shadow: { sha256: 'ab', approved: true, rule_set: 1 } };
    expect(decisionEntryJson(reasons)).toBe(canonicalJson(reasons));
  });

  it('an entry as kss wrote it before decision entries kept the request is not replayable', () => {
    const old = { decision_id: 'd-0', request_type: 'decrypt', profile_id: 'aabb', approved: true, rule_set: 0, rule_ids: [], request_sha256: 'ab'.repeat(32) };
    expect(hasRequestFields(old)).toBe(false);
    expect(hasRequestFields(decisionEntryData({ request_type: 'decrypt' }, decision, ctx))).toBe(true);
  });
});
