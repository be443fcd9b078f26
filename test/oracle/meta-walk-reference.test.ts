/**
 * Found by the differential test: how the reference walks a meta-rule's patterns (SPEC §4.1).
 *
 * The reference walks ONE list, all regexes then all paths, with a single flag (policy_basics
 * meta_str.py, the published reference: `should_approve`). An inverted pattern that does not match
 * sets the flag; a matching inverted pattern stops the walk WITHOUT clearing it; a matching normal
 * pattern sets it and stops. So once an inverted pattern has failed to match, the entry is approved
 * whatever comes later. Conformance case UTC-11-013 step 26 (regexes `!^x$`, `!tax(es|i)` approve
 * `sub/café/Sub/taxi`) is this rule; it is also what the model in reference_model.py does.
 *
 * Our engines walk the regexes and the paths separately and OR the two results; that happens to
 * agree on every given case but not in general. Each example below is decided by the reference as
 * stated (the model agrees: `python3 test/oracle/reference_model.py`).
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { compilePolicy } from '../../compiler/compile.js';
import { loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { context } from '../support/time.js';

function decideBoth(policy: Record<string, unknown>, meta: string, complete: boolean) {
  const { artifact, diagnostics } = compilePolicy(stringify(policy, { aliasDuplicateObjects: false }), 'walk.yml');
  if (!artifact) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  const request = {
    request_type: 'decrypt',
    profile: { profile_id: '00112233445566778899aabbccddeeff', profile_words: ['correct', 'horse', 'battery', 'staple'] },
    auth_meta: [{ meta, complete }],
  } as KssRequest;
  return (['plain', 'optimized'] as const).map((engine) =>
    loadProgram(artifact, { engine }).decide(request, context('2022-03-15T12:00:00Z'), new MemoryQuota()).approved);
}

const metaRule = (args: Record<string, unknown>) => ({ decrypt: [[{ rule: 'meta-rule', ...args }]] });

describe('meta-rule walk: one list, regexes then paths, as the reference walks it', () => {
  it('a matching inverted regex that comes first denies, even when an inverted path would not match', () => {
    // reference: `!tax(es|i)` matches `/taxes` first, nothing marked yet -> denied
    expect(decideBoth(metaRule({ regexes: ['!tax(es|i)'], paths: ['!*.csv'] }), 'taxes', true)).toEqual([false, false]);
  });

  it('after an inverted regex failed to match, a later matching inverted regex no longer denies', () => {
    // reference: `!^x$` does not match (marked), `!tax` matches and stops the walk: approved
    expect(decideBoth(metaRule({ regexes: ['!^x$', '!tax'], paths: ['/finance'] }), 'taxes/a', true)).toEqual([true, true]);
  });

  it('after an inverted path failed to match, a later matching inverted path no longer denies', () => {
    // reference: `!/public` does not match `/secret/x.doc` (marked), `!/secret` matches: approved
    expect(decideBoth(metaRule({ paths: ['!/public', '!/secret'] }), 'secret/x.doc', true)).toEqual([true, true]);
  });

  it('the first inverted pattern still denies what it matches, and order still matters', () => {
    expect(decideBoth(metaRule({ paths: ['!/taxi', '/tax*'] }), 'taxi', true)).toEqual([false, false]);
    expect(decideBoth(metaRule({ paths: ['/tax*', '!/taxi'] }), 'taxi', true)).toEqual([true, true]);
  });
});
