/** Quick-fix edits on their own: each applied to its policy gives the text an author would write. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodeAction, TextEdit } from 'vscode-languageserver';
import { assignRuleIds } from '../../compiler/ir/rule-ids.js';
import { parsePolicy } from '../../compiler/source/parse.js';
import { Analyses } from '../../lsp/analysis.js';
import { codeActions } from '../../lsp/code-actions.js';
import { toLspDiagnostic } from '../../lsp/convert.js';
import { layout, policy, render } from '../format/arbitrary.js';

const analyses = new Analyses();

function fix(text: string, code: string, title: RegExp): string {
  const analysis = analyses.analyzeText('file:///t/keyserver.yml', 1, text);
  const diagnostics = analysis.diagnostics.filter((d) => d.code === code).map((d) => toLspDiagnostic(d, null));
  expect(diagnostics.length, `no ${code} in ${JSON.stringify(analysis.diagnostics.map((d) => d.code))}`).toBeGreaterThan(0);
  const offsetAt = (p: { line: number; character: number }) => analysis.lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const actions: CodeAction[] = codeActions(analysis, diagnostics[0]!.range, [diagnostics[0]!], offsetAt);
  const action = actions.find((a) => title.test(a.title));
  expect(action, `no action ${title} among ${JSON.stringify(actions.map((a) => a.title))}`).toBeDefined();
  const edits = action!.edit!.changes!['file:///t/keyserver.yml']! as TextEdit[];
  let out = text;
  for (const e of [...edits].sort((a, b) => offsetAt(b.range.start) - offsetAt(a.range.start))) {
    out = out.slice(0, offsetAt(e.range.start)) + e.newText + out.slice(offsetAt(e.range.end));
  }
  expect(parsePolicy(out).diagnostics).toEqual([]);
  return out;
}

describe('remove an incompatible rule', () => {
  const cases: Array<[string, string, string]> = [
    ['the first of two rules', 'search:\n  - - rule: meta-rule\n      paths: [a]\n    - rule: approve-rule\n', 'search:\n  - - rule: approve-rule\n'],
    ['the last of two rules', 'search:\n  - - rule: approve-rule\n    - rule: meta-rule\n      paths: [a]\n', 'search:\n  - - rule: approve-rule\n'],
    ['the only rule of a set takes the set (an empty set would approve everything)', 'search:\n  - - rule: reject-rule\n  - - rule: meta-rule\n      paths: [a]\n', 'search:\n  - - rule: reject-rule\n'],
    ['the only rule of the first set', 'search:\n  - - rule: meta-rule\n      paths: [a]\n  - - rule: reject-rule\n', 'search:\n  - - rule: reject-rule\n'],
    ['the only rule of the only set leaves `[]` (deny)', 'search:\n  - - rule: meta-rule\n      paths: [a]\nrename: []\n', 'search:\n  []\nrename: []\n'],
    ['a rule in a flow rule set', 'search:\n  - [{rule: meta-rule, paths: [a]}, {rule: approve-rule}]\n', 'search:\n  - [{rule: approve-rule}]\n'],
  ];
  for (const [name, text, expected] of cases) it(name, () => expect(fix(text, 'KSS2001', /^Remove this/)).toBe(expected));

  // SPEC 2.1: `search: []` denies every search, and so does no `search` at all; but `create_profile: []`
  // denies while an absent create_profile is approved by default. The titles say what each fix means.
  const emptied: Array<[string, string, string, string, string]> = [
    ['search', 'search:\n  - - rule: meta-rule\n      paths: [a]\nrename: []\n', 'meta-rule', 'denied', 'rename: []\n'],
    ['create_profile', 'rename: []\ncreate_profile:\n  - - rule: profile-id-rule\n      profile_ids: [aa]\n', 'profile-id-rule', 'approved', 'rename: []\n'],
  ];
  it.each(emptied)('says what is left of `%s`, and offers to remove the request type', (type, text, kind, byDefault, without) => {
    expect(titles(text, 'KSS2001')).toEqual([
      `Remove this \`${kind}\`, leaving \`${type}\` with no rule set: every \`${type}\` request is denied`,
      `Remove \`${type}\` from the policy: its requests are then ${byDefault} by default`,
    ]);
    expect(fix(text, 'KSS2001', new RegExp(`^Remove \`${type}\``))).toBe(without);
    expect(fix(text, 'KSS2001', /^Remove this/)).toContain(`${type}:\n  []\n`);
  });

  it('offers no request-type removal in a JSON policy (it would need commas moved)', () => {
    expect(titles('{"search": [[{"rule": "meta-rule", "paths": ["a"]}]]}', 'KSS2001')).toEqual([
      'Remove this `meta-rule`, leaving `search` with no rule set: every `search` request is denied',
    ]);
  });
});

function titles(text: string, code: string): string[] {
  const analysis = analyses.analyzeText('file:///t/keyserver.yml', 1, text);
  const diagnostic = analysis.diagnostics.filter((d) => d.code === code).map((d) => toLspDiagnostic(d, null))[0]!;
  const offsetAt = (p: { line: number; character: number }) => analysis.lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return codeActions(analysis, diagnostic.range, [diagnostic], offsetAt).filter((a) => a.kind === 'quickfix').map((a) => a.title);
}

describe('pin rule_id', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['a block rule', 'decrypt:\n  - - rule: per-profile-throttle-rule\n      per_day: 3\n', /^decrypt:\n {2}- - rule: per-profile-throttle-rule\n {6}rule_id: '?[0-9a-f]{32}'?\n {6}per_day: 3\n$/],
    ['a rule whose `rule` key is not first', 'decrypt:\n  - - per_day: 3\n      rule: per-profile-throttle-rule\n', /^decrypt:\n {2}- - per_day: 3\n {6}rule: per-profile-throttle-rule\n {6}rule_id: '?[0-9a-f]{32}'?\n$/],
    ['a flow rule', 'decrypt:\n  - [{rule: per-profile-throttle-rule, per_day: 3}]\n', /^decrypt:\n {2}- \[\{rule: per-profile-throttle-rule, rule_id: '?[0-9a-f]{32}'?, per_day: 3\}\]\n$/],
    ['a rule whose empty `rule_id` does not count', "decrypt:\n  - - rule: per-profile-throttle-rule\n      rule_id: ''\n      per_day: 3\n", /^decrypt:\n {2}- - rule: per-profile-throttle-rule\n {6}rule_id: '?[0-9a-f]{32}'?\n {6}per_day: 3\n$/],
    ['a rule whose `rule_id:` has no value', 'decrypt:\n  - - rule: per-profile-throttle-rule\n      rule_id:\n      per_day: 3\n', /^decrypt:\n {2}- - rule: per-profile-throttle-rule\n {6}rule_id: '?[0-9a-f]{32}'?\n {6}per_day: 3\n$/],
    ['a rule with a comment after its kind', 'decrypt:\n  - - rule: per-profile-throttle-rule # daily\n      per_day: 3\n', /^decrypt:\n {2}- - rule: per-profile-throttle-rule # daily\n {6}rule_id: '?[0-9a-f]{32}'?\n {6}per_day: 3\n$/],
  ];
  for (const [name, text, expected] of cases) it(name, () => expect(fix(text, 'KSS3005', /^Pin rule_id/)).toMatch(expected));

  it('a repeated rule takes the identical rules after it along, so that no id shifts', () => {
    const rule = '    - rule: per-profile-throttle-rule\n      per_day: 3\n';
    const text = `decrypt:\n  - - rule: approve-rule\n${rule}${rule}${rule}`;
    const ids = assignRuleIds(parsePolicy(text).ast!).slice(1).map((a) => a.ruleId);
    expect(ids[1]).toBe(`${ids[0]}.2`);
    const analysis = analyses.analyzeText('file:///t/keyserver.yml', 1, text);
    const offsetAt = (p: { line: number; character: number }) => analysis.lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
    const [action] = codeActions(analysis, { start: { line: 4, character: 8 }, end: { line: 4, character: 8 } }, [], offsetAt);
    expect(action!.title).toBe(`Pin rule_id \`${ids[1]}\` and 1 identical rule after it (keeps quota counts across edits)`);
    let out = text;
    for (const e of [...action!.edit!.changes!['file:///t/keyserver.yml']!].reverse()) out = out.slice(0, offsetAt(e.range.start)) + e.newText + out.slice(offsetAt(e.range.end));
    expect(assignRuleIds(parsePolicy(out).ast!).slice(1).map((a) => [a.ruleId, a.explicit])).toEqual([[ids[0], false], [ids[1], true], [ids[2], true]]);
  });
});

describe('other fixes from the diagnostics\' data', () => {
  it('removes an argument a rule does not take', () => {
    expect(fix('decrypt:\n  - - rule: approve-rule\n      paths: [a]\n    - rule: reject-rule\n', 'KSS1104', /^Remove `paths`/))
      .toBe('decrypt:\n  - - rule: approve-rule\n    - rule: reject-rule\n');
  });
  it('adds a missing key under the rule kind', () => {
    expect(fix('decrypt:\n  - - rule: meta-rule\n    - rule: approve-rule\n', 'KSS2010', /^Add `paths`/))
      .toBe('decrypt:\n  - - rule: meta-rule\n      paths: \n    - rule: approve-rule\n');
  });
  it('quotes a time YAML 1.1 reads as a number', () => {
    expect(fix("decrypt:\n  - - rule: time-range-rule\n      time_start: 9:00\n      time_end: '17:00'\n", 'KSS3006', /^Quote/))
      .toBe("decrypt:\n  - - rule: time-range-rule\n      time_start: '9:00'\n      time_end: '17:00'\n");
  });
});

describe('pin rule_id (property)', () => {
  it('pinning any throttle rule keeps every rule id of the policy, the pinned one now explicit', () => {
    let pinnedCount = 0;
    fc.assert(
      fc.property(policy, layout, (p, l) => {
        const { text } = render(p, { ...l, crlf: false });
        const analysis = analyses.analyzeText('file:///t/keyserver.yml', 1, text);
        if (!analysis.ast) return;
        const before = assignRuleIds(analysis.ast);
        const offsetAt = (pos: { line: number; character: number }) => analysis.lines.slice(0, pos.line).reduce((n, line) => n + line.length + 1, 0) + pos.character;
        for (const target of before.filter((a) => a.node.kind === 'per-profile-throttle-rule' && !a.explicit)) {
          const start = target.node.range.start;
          const at = { line: start.line - 1, character: start.column - 1 };
          const action = codeActions(analysis, { start: at, end: at }, [], offsetAt).find((a) => a.title.startsWith('Pin rule_id'));
          expect(action).toBeDefined();
          let pinned = text;
          const edits = [...action!.edit!.changes!['file:///t/keyserver.yml']!].sort((a, b) => offsetAt(b.range.start) - offsetAt(a.range.start));
          for (const e of edits) pinned = pinned.slice(0, offsetAt(e.range.start)) + e.newText + pinned.slice(offsetAt(e.range.end));
          const after = assignRuleIds(parsePolicy(pinned).ast!);
          expect(after.map((a) => a.ruleId)).toEqual(before.map((a) => a.ruleId));
          expect(after[before.indexOf(target)]!.explicit).toBe(true);
          pinnedCount++;
        }
      }),
      { numRuns: 100 },
    );
    expect(pinnedCount).toBeGreaterThan(30);
  });
});
