/**
 * Garbage and half-typed YAML never break a feature: every module the server uses runs on random
 * edits of real policies without throwing and returns well-formed answers. (The server also guards
 * every handler, but that guard must stay a last resort, so this runs without it.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPolicy } from '../../compiler/format/format.js';
import { parsePolicy } from '../../compiler/source/parse.js';
import { Analyses } from '../../lsp/analysis.js';
import { codeActions } from '../../lsp/code-actions.js';
import { normalizedPolicy, ruleIds } from '../../lsp/commands.js';
import { completions } from '../../lsp/completion.js';
import { toLspDiagnostic } from '../../lsp/convert.js';
import { anchorFor } from '../../lsp/definition.js';
import { hover } from '../../lsp/hover.js';
import { inlayHints } from '../../lsp/inlay-hints.js';
import { documentSymbols } from '../../lsp/symbols.js';
import { applyEdit, edit, positions } from './edits.js';
import { ANCHOR_POLICY, BROKEN_POLICY, FIXED_POLICY } from './fixtures.js';
import { aliasBomb, withPaths } from '../support/hostile.js';

const analyses = new Analyses();

function exercise(text: string, picks: number[]): void {
  const analysis = analyses.analyzeText('file:///fuzz/keyserver.yml', 1, text);
  const lineCount = analysis.lines.length;
  const lsp = analysis.diagnostics.map((d) => toLspDiagnostic(d, 'https://docs.example/'));
  for (const d of lsp) {
    expect(d.range.start.line).toBeGreaterThanOrEqual(0);
    expect(d.range.end.line).toBeLessThan(lineCount);
    expect(String(d.message).length).toBeGreaterThan(0);
  }
  const offsetAt = (p: { line: number; character: number }) =>
    analysis.lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + Math.min(p.character, analysis.lines[p.line]?.length ?? 0);
  for (const p of positions(text, picks)) {
    for (const item of completions(analysis.lines, p.line, p.character)) expect(typeof item.label).toBe('string');
    const h = hover(analysis.lines, p.line, p.character);
    if (h) expect(typeof (h.contents as { value: string }).value).toBe('string');
    const actions = codeActions(analysis, { start: p, end: p }, lsp, offsetAt);
    for (const a of actions) expect(a.edit?.changes?.[analysis.uri]).toBeDefined();
    anchorFor(analysis.ast?.document ?? null, text, offsetAt(p));
  }
  documentSymbols(analysis.ast);
  inlayHints(analysis.ast, { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } });
  ruleIds(analysis);
  normalizedPolicy(analysis);
  const formatted = formatPolicy(text).text;
  if (formatted !== null) expect(parsePolicy(formatted).diagnostics.filter((d) => d.code === 'KSS1001')).toEqual([]);
}

describe('robustness', () => {
  it('every feature survives random edits of real policies (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(BROKEN_POLICY, FIXED_POLICY, ANCHOR_POLICY),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        (base, edits, picks) => {
          let text = base;
          for (const e of edits) {
            text = applyEdit(text, e);
            exercise(text, picks);
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it('every prefix of a policy (typing it from the start) is handled', () => {
    for (let n = 0; n <= BROKEN_POLICY.length; n += 3) exercise(BROKEN_POLICY.slice(0, n), [n, n + 1, n * 3]);
  });

  // The server analyses with the front end of `kss check`, under the same reading limits (issue 10).
  it.each([
    ['an alias bomb', aliasBomb(), 'KSS1010'],
    ['200 chained merges of two sources', ['m0: &m0 {rule: approve-rule}', 'm1: &m1 {<<: *m0}', ...Array.from({ length: 199 }, (_, i) => `m${i + 2}: &m${i + 2} {<<: [*m${i + 1}, *m${i}]}`), 'decrypt:', '- - <<: *m200'].join('\n'), 'KSS1012'],
    ['100,000 nested brackets', withPaths(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), 'KSS1012'],
  ])('%s: one diagnostic that names the limit, and every feature answers', (_name, text, code) => {
    expect(analyses.analyzeText('file:///hostile/keyserver.yml', 1, text).diagnostics.map((d) => d.code)).toEqual([code]);
    exercise(text, [0, 40, text.length - 1]);
  });

  it('arbitrary text, including control characters and lone surrogates, is handled', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.nat(), { minLength: 2, maxLength: 2 }), (text, picks) => exercise(text, picks)), { numRuns: 200 });
  });
});
