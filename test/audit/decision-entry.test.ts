/** A decision's audit entry keeps what a replay needs: the request rebuilt from it is the request. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionEntryData, hasRequestFields, requestFromEntry } from '../../runtime/audit/decision-entry.js';
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

  it('an entry as kss wrote it before decision entries kept the request is not replayable', () => {
    const old = { decision_id: 'd-0', request_type: 'decrypt', profile_id: 'aabb', approved: true, rule_set: 0, rule_ids: [], request_sha256: 'ab'.repeat(32) };
    expect(hasRequestFields(old)).toBe(false);
    expect(hasRequestFields(decisionEntryData({ request_type: 'decrypt' }, decision, ctx))).toBe(true);
  });
});
