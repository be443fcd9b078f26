/** SPEC §5 rule ids on hand-written policies (expected ids computed with python3's json.dumps + md5). */
import { describe, expect, it } from 'vitest';
import { assignRuleIds } from '../../compiler/ir/rule-ids.js';
import { parsePolicy } from '../../compiler/source/parse.js';

const ids = (yaml: string) => assignRuleIds(parsePolicy(yaml).ast!).map((a) => a.ruleId);
const APPROVE = '82a0f4cce0c44147916dcf34d4f190c5';

describe('rule ids', () => {
  it('keeps floats as Python writes them (1.0, 1e+16) and escapes non-ASCII as \\uXXXX with surrogate pairs', () => {
    expect(ids('decrypt:\n- - rule: per-profile-throttle-rule\n    per_hour: 1.0\n    per_day: 1e16\n')).toEqual(['c3e716453d51e123dbf8771562c74508']);
    expect(ids("decrypt:\n- - rule: meta-rule\n    case_sensitive: true\n    paths: ['/café', 'ü😀']\n")).toEqual(['2c18bc56d5d6f90d0c6095cb51a5419a']);
  });

  it('numbers repeats in file order, across request types: .2, .3', () => {
    expect(ids('decrypt:\n- - rule: approve-rule\n  - rule: approve-rule\nsearch:\n- - rule: approve-rule\n')).toEqual([APPROVE, `${APPROVE}.2`, `${APPROVE}.3`]);
  });

  it('keeps explicit ids, which count as seen', () => {
    const yaml = `decrypt:\n- - rule: reject-rule\n    rule_id: ${APPROVE}\n  - rule: approve-rule\n  - rule: approve-rule\n    rule_id: mine\n`;
    expect(ids(yaml)).toEqual([APPROVE, `${APPROVE}.2`, 'mine']);
  });

  it('an empty, zero or null rule_id does not count (Python truthiness) and is hashed with the mapping', () => {
    // Expected: md5 of json.dumps({"rule": "approve-rule", "rule_id": <value>}, sort_keys=True, separators=(',', ':')).
    expect(ids("decrypt:\n- - rule: approve-rule\n    rule_id: ''\n- - rule: approve-rule\n    rule_id: 0\n- - rule: approve-rule\n    rule_id:\n")).toEqual([
      '70c3ba33096a79b66bd56265f39d0406',
      '02be970323e0cce40f51ed05df4b3097',
      '849839d68712e7fdca7d5195350356fe',
    ]);
  });

  it('merge keys and aliases hash as the expanded mapping', () => {
    const yaml = 'decrypt:\n- - &a {rule: approve-rule}\n  - *a\n  - {<<: *a}\n';
    expect(ids(yaml)).toEqual([APPROVE, `${APPROVE}.2`, `${APPROVE}.3`]);
  });
});
