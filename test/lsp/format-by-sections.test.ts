/**
 * The language server's formatting (Analyses.format: by sections when it can, lsp/analysis.ts) is
 * `formatPolicy` of the same text after any sequence of edits, whether the version was analysed
 * before the format was asked or not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatPolicy } from '../../compiler/format/format.js';
import { Analyses } from '../../lsp/analysis.js';
// @ts-expect-error: a plain .mjs workload generator without types
import { bigPolicy } from '../../bench/workloads/lsp-policy.mjs';
import { applyEdit, edit } from './edits.js';
import { ANCHOR_POLICY, BROKEN_POLICY, FIXED_POLICY } from './fixtures.js';

const URI = 'file:///format/keyserver.yml';

describe('formatting in the language server', () => {
  it('equals formatPolicy after random edits, analysed first or not (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(BROKEN_POLICY, FIXED_POLICY, ANCHOR_POLICY, bigPolicy(120) as string),
        fc.array(fc.tuple(edit, fc.boolean()), { minLength: 1, maxLength: 6 }),
        (base, edits) => {
          const analyses = new Analyses();
          let text = base;
          let version = 1;
          for (const [e, analysedFirst] of edits) {
            text = applyEdit(text, e);
            const document = TextDocument.create(URI, 'yaml', version++, text);
            if (analysedFirst) analyses.get(document);
            expect(analyses.format(document)).toEqual(formatPolicy(text));
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 240_000);
});
