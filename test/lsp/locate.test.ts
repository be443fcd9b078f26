/** The indentation-based locator: what may be typed, and what is hovered, at a cursor. */
import { describe, expect, it } from 'vitest';
import { cursorContext, hoverTarget } from '../../lsp/locate.js';

/** `|` marks the cursor. */
function at(source: string): [string[], number, number] {
  const offset = source.indexOf('|');
  const text = source.slice(0, offset) + source.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  return [text.split('\n'), before.length - 1, before[before.length - 1]!.length];
}

describe('cursorContext', () => {
  const cases: Array<[string, string, unknown]> = [
    ['an empty file', '|', { kind: 'requestTypeKey', prefix: '' }],
    ['a top-level key being typed', 'decrypt:\n  - - rule: approve-rule\nsea|', { kind: 'requestTypeKey', prefix: 'sea' }],
    ['after `rule:`', 'search:\n  - - rule: |', { kind: 'ruleKind', prefix: '', requestType: 'search' }],
    ['a partial rule kind', 'decrypt:\n  - - rule: met|', { kind: 'ruleKind', prefix: 'met', requestType: 'decrypt' }],
    ['a new rule in a set', 'decrypt:\n  - - rule: approve-rule\n    - |', { kind: 'ruleKey', prefix: '', requestType: 'decrypt', ruleKind: null, used: [] }],
    ['a key under `rule:`', 'decrypt:\n  - - rule: per-profile-throttle-rule\n      per_day: 1\n      |', { kind: 'ruleKey', prefix: '', requestType: 'decrypt', ruleKind: 'per-profile-throttle-rule', used: ['rule', 'per_day'] }],
    ['a key above `rule:`', 'decrypt:\n  - - |\n      rule: meta-rule', { kind: 'ruleKey', prefix: '', requestType: 'decrypt', ruleKind: 'meta-rule', used: ['rule'] }],
    ['a key in the second set, not mixing with the first', 'decrypt:\n  - - rule: meta-rule\n      paths: [a]\n  - - rule: time-range-rule\n      |', { kind: 'ruleKey', prefix: '', requestType: 'decrypt', ruleKind: 'time-range-rule', used: ['rule'] }],
    ['a quoted rule kind', "decrypt:\n  - - rule: 'time-range-rule'\n      da|", { kind: 'ruleKey', prefix: 'da', requestType: 'decrypt', ruleKind: 'time-range-rule', used: ['rule'] }],
    ['a boolean value', 'decrypt:\n  - - rule: meta-rule\n      case_sensitive: t|', { kind: 'argumentValue', prefix: 't', ruleKind: 'meta-rule', argument: 'case_sensitive', inList: false }],
    ['an item of a flow list', 'decrypt:\n  - - rule: time-range-rule\n      days: [0, |', { kind: 'argumentValue', prefix: '', ruleKind: 'time-range-rule', argument: 'days', inList: true }],
    ['an item of a block list', 'decrypt:\n  - - rule: time-range-rule\n      days:\n        - 0\n        - |', { kind: 'argumentValue', prefix: '', ruleKind: 'time-range-rule', argument: 'days', inList: true }],
    ['an item of a block list not indented', 'decrypt:\n  - - rule: time-range-rule\n      days:\n      - |', { kind: 'argumentValue', prefix: '', ruleKind: 'time-range-rule', argument: 'days', inList: true }],
    ['inside a comment', 'decrypt: # |', { kind: 'none' }],
    ['a value at the top level', 'decrypt: |', { kind: 'none' }],
    ['CR line ends', 'decrypt:\r\n  - - rule: |', { kind: 'ruleKind', prefix: '', requestType: 'decrypt' }],
  ];
  for (const [name, source, expected] of cases) {
    it(name, () => {
      const [lines, line, character] = at(source);
      expect(cursorContext(lines, line, character)).toEqual(expected);
    });
  }
});

describe('hoverTarget', () => {
  const cases: Array<[string, string, unknown]> = [
    ['a request type', 'dec|rypt:\n  - - rule: approve-rule', { kind: 'requestType', name: 'decrypt', start: 0, end: 7 }],
    ['a rule kind', 'decrypt:\n  - - rule: appr|ove-rule', { kind: 'ruleKind', name: 'approve-rule', start: 12, end: 24 }],
    ['the `rule` key', 'decrypt:\n  - - ru|le: approve-rule', { kind: 'ruleKind', name: 'approve-rule', start: 12, end: 24 }],
    ['an argument', 'decrypt:\n  - - rule: meta-rule\n      pa|ths: [a]', { kind: 'argument', ruleKind: 'meta-rule', name: 'paths', start: 6, end: 11 }],
    ['a value other than a rule kind', 'decrypt:\n  - - rule: meta-rule\n      paths: [|a]', { kind: 'none' }],
    ['a blank line', 'decrypt:\n|\n', { kind: 'none' }],
  ];
  for (const [name, source, expected] of cases) {
    it(name, () => {
      const [lines, line, character] = at(source);
      expect(hoverTarget(lines, line, character)).toEqual(expected);
    });
  }
});
