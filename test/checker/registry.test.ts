/** The registry is complete and consistent: every check has its file, its doc page and its test. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REGISTRY } from '../../compiler/checker/registry.js';
import { CODE_CATALOG } from '../../compiler/checker/catalog.js';

const rulesDir = new URL('../../compiler/checker/rules/', import.meta.url);
const root = new URL('../../', import.meta.url);

describe('check registry', () => {
  it('registers every file in compiler/checker/rules/ once, with the file name as id', () => {
    const files = readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').map((f) => f.replace(/\.ts$/, ''));
    expect(REGISTRY.map((c) => c.id).sort()).toEqual(files.sort());
  });

  it('gives every check a unique, well-formed code in the range of its kind', () => {
    const codes = REGISTRY.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const check of REGISTRY) {
      expect(check.code).toMatch(/^KSS[123]\d{3}$/);
      expect(check.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      // Shape and semantic problems are errors; lints are not.
      expect(check.meta.defaultSeverity === 'error', check.id).toBe(!check.code.startsWith('KSS3'));
      expect(check.meta.description, check.id).toMatch(/^[a-z`].*[^.]$/);
      expect(check.meta.docs.summary.length, check.id).toBeGreaterThan(40);
    }
  });

  it('has no two codes in the catalog (parser, checks, framework) alike', () => {
    const codes = CODE_CATALOG.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each(CODE_CATALOG.map((e) => [e.code, e] as const))('%s has a doc page naming it', (code, entry) => {
    const page = new URL(entry.doc, root);
    expect(existsSync(page), `missing ${entry.doc}`).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text.split('\n')[0]).toBe(`# ${code} \`${entry.name}\``);
    expect(readFileSync(new URL('docs/diagnostics/README.md', root), 'utf8')).toContain(`[${code}](${code}.md)`);
  });

  it.each(REGISTRY.map((c) => [c.id, c] as const))('%s has a table-driven test', (id, check) => {
    const test = new URL(`test/checker/rules/${id}.test.ts`, root);
    expect(existsSync(test), `missing test/checker/rules/${id}.test.ts`).toBe(true);
    const text = readFileSync(test, 'utf8');
    expect(text).toContain(`testCheck(${importedName(text, id)}`);
    expect(check.id).toBe(id);
  });
});

function importedName(text: string, id: string): string {
  const match = new RegExp(`import \\{ (\\w+) \\} from '../../../compiler/checker/rules/${id}.js'`).exec(text);
  return match?.[1] ?? '<not imported>';
}
