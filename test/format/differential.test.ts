/**
 * The formatter against its previous version (format-reference.ts, before issue 15's work): the same
 * result for every input, with and without the reader's result lent, and a lent Document left
 * exactly as it was (the formatter now borrows it instead of copying it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNode, isPair } from 'yaml';
import type { Document } from 'yaml';
import { formatPolicy } from '../../compiler/format/format.js';
import { parsePolicy } from '../../compiler/source/parse.js';
// @ts-expect-error: a plain .mjs workload generator without types
import { bigPolicy } from '../../bench/workloads/lsp-policy.mjs';
import { duplicateKeys, readYaml } from '../../compiler/source/read-yaml.js';
import { LineIndex } from '../../compiler/diagnostics.js';
import { formatPolicy as referenceFormat, referenceDuplicateKeys } from './format-reference.js';
import { layout, policy, render } from './arbitrary.js';

/** Every own property of every node, ranges included, in order: any change to the Document shows. */
function snapshot(document: Document.Parsed | null | undefined): string {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (isNode(x) || isPair(x)) return [x.constructor.name, ...Object.entries(x).map(([k, v]) => [k, walk(v)])];
    return typeof x === 'number' && Object.is(x, -0) ? '-0' : x;
  };
  return document ? JSON.stringify([document.commentBefore, document.comment, { ...document.directives }, walk(document.contents)]) : 'none';
}

function expectSameAsBefore(text: string): void {
  const expected = referenceFormat(text);
  expect(formatPolicy(text)).toEqual(expected);
  const parsed = parsePolicy(text);
  const before = snapshot(parsed.ast?.document);
  expect(formatPolicy(text, parsed)).toEqual(expected);
  expect(snapshot(parsed.ast?.document)).toBe(before);
}

/** Lines that make odd but often valid YAML: comments at every indentation after nested blocks, anchors, aliases, merge keys, flow, block scalars. */
const line = fc.oneof(
  fc.constantFrom(
    'decrypt:', 'rename:', 'search:', '  - - rule: meta-rule', '    - rule: approve-rule', '  -', '    - rule_id: r1', '      rule: per-profile-throttle-rule',
    '      per_day: 10', '      rule_id: x', '      paths: &p [/a, /b]', '      paths: *p', '    - <<: {per_day: 3}', '      <<: *m', '  - - &m {rule: approve-rule}',
    '      days:', '        - 1', '        - 2', '# top comment', '  # comment', '    # comment', '      # comment', '        # comment', '',
    '      x: -0', '      x: 010', '      x: .nan', '      x: "a  b"', "      x: 'it''s'", '      x: |', '        kept  ', '      x: >-', '        folded',
    '---', '%YAML 1.2', '...', '      rule_id: x', '  decrypt: 1', '  - {a: 1, a: 2}', '  - [a: 1, b: 2]', '  ? [k]', '  : v', '      rule: meta-rule # trailing', '  - [{rule: approve-rule}]', '{"decrypt": [[{"paths": ["/a"], "rule": "meta-rule"}]]}',
  ),
  fc.string({ maxLength: 6 }).map((s) => `      ${s}`),
);

describe('formatPolicy against its previous version', () => {
  it('gives the same results on random policies in random layouts (property)', () => {
    fc.assert(fc.property(policy, layout, (p, l) => expectSameAsBefore(render(p, l).text)), { numRuns: 300 });
  });

  it('gives the same results on odd YAML, valid or not (property)', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 24 }), (lines) => expectSameAsBefore(`${lines.join('\n')}\n`)), { numRuns: 1500 });
  });

  it('finds the same repeated keys, in the same order, as the walk with the package\'s `visit` (property)', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 24 }), (lines) => {
        const text = `${lines.join('\n')}\n`;
        const index = new LineIndex(text);
        const { document } = readYaml(text, index);
        if (document) expect(duplicateKeys(document, index)).toEqual(referenceDuplicateKeys(document, index));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same result on the language-server benchmark\'s policy, messy and formatted', () => {
    const text = bigPolicy(1500);
    const messy = text.split('\n').map((l: string) => (l.startsWith('      per_day:') ? l.replace(': ', ':   ') : l)).join('\n');
    expectSameAsBefore(messy);
    expectSameAsBefore(text);
  });
});
