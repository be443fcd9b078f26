/** The example policies check clean (no diagnostic at all) and lower without problems. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzePolicy } from '../../compiler/analyze.js';
import { lowerPolicy } from '../../compiler/ir/lower.js';

const dir = new URL('../../examples/', import.meta.url);
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

describe('examples', () => {
  it('include the policy npm start serves and the enterprise policy', () => {
    expect(files).toEqual(expect.arrayContaining(['keyserver.yml', 'enterprise.keyserver.yml']));
  });

  it.each(files)('%s checks clean and lowers', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    const { ast, diagnostics } = analyzePolicy(text, file);
    expect(diagnostics).toEqual([]);
    expect(lowerPolicy(ast!).diagnostics).toEqual([]);
  });
});
