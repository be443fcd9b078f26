/**
 * Every case decided by the reference (../shared/conformance/cases), through the real front end and
 * grammars, with both engines: every decision and every rule id must match.
 */
import { describe, expect, it } from 'vitest';
import { loadConformanceCases } from '../support/shared.js';
import { runCase } from './run-case.js';

const cases = loadConformanceCases();

describe.each(['plain', 'optimized'] as const)('conformance (%s engine)', (engine) => {
  it.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const outcome = runCase(c, engine);
    expect(outcome.compileErrors).toEqual([]);
    expect(outcome.ruleIds).toEqual(c.rule_ids);
    expect(outcome.mismatches).toEqual([]);
  });
});
