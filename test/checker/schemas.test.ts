/** The schemas compile under ajv's strict mode, agree with the checker, and accept real data. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decisionSchema, keyserverSchema, requestSchema, requestTypeDocs, ruleArgumentDocs, ruleKindDocs, ruleSchemas } from '../../compiler/schemas.js';
import { INCOMPATIBLE_RULES, REQUEST_TYPES, RULE_KINDS } from '../../compiler/ir/types.js';
import { loadConformanceCases } from '../support/shared.js';

const cases = loadConformanceCases();

// strict: true rejects unknown keywords, so a typo in a schema fails here. Editor keywords are declared.
function strictAjv() {
  // strictRequired is off: `anyOf: [{required: [paths]}, ...]` names properties defined one level up, which is fine.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
  ajv.addKeyword('markdownDescription');
  return ajv;
}

describe('schemas', () => {
  it('keyserver.schema.json is generated from rules/ and up to date', () => {
    expect(() => execFileSync('node', ['schemas/generate.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('every schema compiles in strict mode', () => {
    const ajv = strictAjv();
    for (const schema of [keyserverSchema, requestSchema, decisionSchema, ...Object.values(ruleSchemas)]) {
      expect(() => ajv.compile(schema)).not.toThrow();
    }
  });

  it('the editor schema accepts every conformance policy and rejects what the checker rejects', () => {
    const validate = strictAjv().compile(keyserverSchema);
    for (const c of cases) expect(validate(parse(c.policy_yaml)), c.name).toBe(true);
    expect(validate({ decrpyt: [] })).toBe(false);
    expect(validate({ decrypt: [[{ rule: 'per-profile-throttle-rule', per_days: 5 }]] })).toBe(false);
    expect(validate({ search: [[{ rule: 'meta-rule', paths: ['/a'] }]] })).toBe(false);
    expect(validate({ decrypt: [[{ rule: 'time-range-rule', time_start: '8:00am' }]] })).toBe(false);
    expect(validate({ decrypt: [[{ rule: 'time-range-rule', days: [7] }]] })).toBe(false);
    expect(validate({ decrypt: [[{ rule: 'meta-rule' }]] })).toBe(false);
  });

  it('the request and decision schemas accept every conformance step', () => {
    const ajv = strictAjv();
    const request = ajv.compile(requestSchema);
    const decision = ajv.compile(decisionSchema);
    for (const c of cases) {
      for (const step of c.steps) {
        expect(request(step.request), JSON.stringify(request.errors)).toBe(true);
        expect(decision(step.expect), JSON.stringify(decision.errors)).toBe(true);
      }
    }
    expect(request({ request_type: 'delete' })).toBe(false);
    expect(decision({ approved: 'yes', rule_set: null })).toBe(false);
  });

  it('documents every rule kind, argument and request type for the editor', () => {
    for (const kind of RULE_KINDS) {
      expect(ruleKindDocs[kind].description.length).toBeGreaterThan(10);
      expect(ruleKindDocs[kind].notAllowedIn).toEqual(REQUEST_TYPES.filter((t) => INCOMPATIBLE_RULES[t]?.includes(kind)));
      for (const arg of ruleArgumentDocs(kind)) {
        expect(arg.description, `${kind}.${arg.name}`).not.toBe('');
        expect(arg.markdownDescription, `${kind}.${arg.name}`).not.toBe('');
        expect(arg.examples.length, `${kind}.${arg.name}`).toBeGreaterThan(0);
      }
    }
    expect(ruleArgumentDocs('per-profile-throttle-rule').map((a) => a.name)).toEqual(['per_hour', 'per_day', 'persistent', 'expiry_secs', 'db-file', 'db-uri', 'db-table']);
    expect(ruleArgumentDocs('meta-rule').find((a) => a.name === 'case_sensitive')?.default).toBe(false);
    for (const type of REQUEST_TYPES) expect(requestTypeDocs[type].description).not.toBe('');
  });
});
