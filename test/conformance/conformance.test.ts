/**
 * Every conformance case through the real front end and grammars, with both engines: every
 * decision and every rule id must match. The reference's own cases (../shared/conformance/cases),
 * the hand-reasoned daylight-saving cases beside them (cases-dst), and the daylight-saving cases the
 * SPEC 4.6 model computes (cases-dst-model, from test/oracle/generate_dst_cases.py).
 */
import { describe, expect, it } from 'vitest';
import { CASES_DIR, DST_CASES_DIR, loadConformanceCases, MODEL_DST_CASES_DIR } from '../support/shared.js';
import { runCase } from './run-case.js';

const SETS = [
  ['the reference', CASES_DIR],
  ['hand-reasoned daylight saving', DST_CASES_DIR],
  ['the SPEC 4.6 model, daylight saving', MODEL_DST_CASES_DIR],
] as const;

describe.each(SETS)('conformance: %s', (_set, dir) => {
  const cases = loadConformanceCases(dir);
  describe.each(['plain', 'optimized'] as const)('%s engine', (engine) => {
    it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
      const outcome = runCase(c, engine);
      expect(outcome.compileErrors).toEqual([]);
      expect(outcome.ruleIds).toEqual(c.rule_ids);
      expect(outcome.mismatches).toEqual([]);
    });
  });
});

describe('reference_utc_offset (SPEC 4.6: the reference keeps the offset it started with)', () => {
  const kept = loadConformanceCases(MODEL_DST_CASES_DIR).filter((c) => c.reference_utc_offset !== undefined);

  it('is honoured: the cases that carry it decide differently in their IANA zone', () => {
    expect(kept.length).toBeGreaterThanOrEqual(3);
    for (const c of kept) {
      expect(runCase(c, 'optimized').mismatches, c.file).toEqual([]);
      expect(runCase(c, 'optimized', c.tz).mismatches.length, c.file).toBeGreaterThan(0);
    }
  });
});
