/**
 * The oracle is only worth something if it decides like the reference where we know the answer:
 * the Python model must reproduce every decision and every rule id of every given conformance case,
 * the hand-reasoned daylight-saving ones (SPEC 4.6) included. On the cases it generated itself this
 * also says that the committed files are what generate_dst_cases.py would write today.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { caseZone, loadAllConformanceCases } from '../support/shared.js';
import { PythonOracle } from './python-oracle.js';

const cases = loadAllConformanceCases();
const oracle = new PythonOracle();
afterAll(() => oracle.close());

describe('the Python reference model reproduces the reference', () => {
  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const answer = await oracle.ask({
      policy: parse(c.policy_yaml) as Record<string, unknown>,
      tz: caseZone(c),
      steps: c.steps.map((s) => ({ at: s.at, request: s.request })),
    });
    if (!('decisions' in answer)) throw new Error(`the model could not run the case: ${JSON.stringify(answer)}`);
    expect(answer.rule_ids).toEqual(c.rule_ids);
    const wrong = c.steps
      .map((s, i) => ({ step: i, at: s.at, model: answer.decisions[i], reference: s.expect }))
      .filter((x) => x.model?.approved !== x.reference.approved || x.model?.rule_set !== x.reference.rule_set);
    expect(wrong).toEqual([]);
  });
});
