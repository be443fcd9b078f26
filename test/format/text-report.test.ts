/** The one text form of diagnostics (compiler/text-report.ts): `kss check` and every refusal print it. */
import { describe, expect, it } from 'vitest';
import { analyzePolicy } from '../../compiler/analyze.js';
import { formatTextReport } from '../../compiler/text-report.js';
import { formatText } from '../../cli/format/text.js';

const TEXT = 'decrypt:\n- - rule: per-profile-throttle-rule\n    rule_id: daily\n    per_days: 5\n';
const { diagnostics } = analyzePolicy(TEXT, 'p.yml');
const REPORTS = [{ file: 'p.yml', text: TEXT, diagnostics }];

describe('the diagnostic text format', () => {
  it('shows the place, the code, the line with an underline and the help', () => {
    const expected = `p.yml:4:5: error[KSS1104]: unknown argument \`per_days\` for \`per-profile-throttle-rule\`
  4 |     per_days: 5
    |     ^^^^^^^^
  = help: did you mean \`per_day\`?
`;
    expect(formatTextReport(REPORTS, { color: false, summary: false })).toBe(expected);
  });

  it('is `kss check --format text`, with its summary line', () => {
    expect(formatText(REPORTS, { color: false })).toBe(`${formatTextReport(REPORTS, { color: false, summary: false })}\nchecked 1 file: 1 error\n`);
  });

  it('prints nothing for no diagnostics, without the summary', () => {
    expect(formatTextReport([{ file: 'p.yml', text: TEXT, diagnostics: [] }], { color: false, summary: false })).toBe('');
  });
});
