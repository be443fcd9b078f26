import { describe, expect, it } from 'vitest';
import { ignoredStorageArgument } from '../../../compiler/checker/rules/ignored-storage-argument.js';
import { compilePolicy } from '../../../compiler/compile.js';
import { checkDiagnostics, testCheck, yaml } from '../rule-tester.js';

const pinnedHelp = "it is accepted so that the reference's policies load; remove it if the reference no longer reads this policy";
const derivedHelp = "it is accepted so that the reference's policies load; it is part of the rule's derived id, so give the rule an explicit `rule_id` before removing it, or its counts restart";

testCheck(ignoredStorageArgument, {
  valid: [
    yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    rule_id: daily', '    per_day: 5', '    persistent: true'),
    // Only the throttle has them; elsewhere unknown-argument reports the key.
    yaml('decrypt:', '- - rule: approve-rule', '    db-file: x'),
  ],
  invalid: [
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    rule_id: daily', '    per_day: 5', '    expiry_secs: 30', "    db-file: '~/profile-throttle.db'"),
      errors: [
        { line: 5, column: 5, endLine: 5, endColumn: 16, message: 'kss ignores `expiry_secs`: kss locks counts transactionally and needs no lock expiry', help: pinnedHelp, data: { unnecessary: true, remove: true } },
        { line: 6, column: 5, endLine: 6, endColumn: 12, message: 'kss ignores `db-file`: kss keeps throttle counts in its own store', help: pinnedHelp, data: { unnecessary: true, remove: true } },
      ],
    },
    {
      source: yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_day: 5', "    db-uri: 'mysql://db/kss'", '    db-table: throttle'),
      errors: [
        { line: 4, column: 5, endLine: 4, endColumn: 11, message: 'kss ignores `db-uri`: kss keeps throttle counts in its own store', help: derivedHelp, data: { unnecessary: true } },
        { line: 5, column: 5, endLine: 5, endColumn: 13, message: 'kss ignores `db-table`: kss keeps throttle counts in its own store', help: derivedHelp, data: { unnecessary: true } },
      ],
    },
  ],
});

describe('the reference\'s storage arguments (SPEC 4.4)', () => {
  const policy = (extra: string[]) => yaml('decrypt:', '- - rule: per-profile-throttle-rule', '    per_day: 5', ...extra);

  it('load, and take part in the rule id like every argument', () => {
    const plain = compilePolicy(policy([]), 'p.yml').artifact!;
    const stored = compilePolicy(policy(['    expiry_secs: 30', "    db-file: 'x.db'"]), 'p.yml');
    expect(stored.diagnostics.map((d) => d.code)).toEqual(['KSS3005', 'KSS3013', 'KSS3013']);
    // md5 of {"db-file":"x.db","expiry_secs":30,"per_day":5,"rule":"per-profile-throttle-rule"}, computed with Python.
    expect(stored.artifact!.ruleIds).toEqual({ decrypt: [['cc957f831335191a0edecc91bc3cf0ce']] });
    expect(plain.ruleIds.decrypt![0]![0]).not.toBe(stored.artifact!.ruleIds.decrypt![0]![0]);
  });

  it('are reported once each', () => {
    expect(checkDiagnostics(ignoredStorageArgument, policy(['    db-file: a', '    db-uri: b'])).map((d) => d.line)).toEqual([4, 5]);
  });
});
