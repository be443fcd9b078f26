// Writes docs/diagnostics/<CODE>.md for every code of compiler/checker/catalog.ts, from each check's
// `meta.docs`, and the index README.md. Existing pages are kept (they may have been edited by hand)
// unless --all is given. Run: node docs/generate.mjs [--all]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}docs/diagnostics/`;
const overwrite = process.argv.includes('--all');
let written = 0;

// The catalog is TypeScript: bundle it on the fly (esbuild is a dependency already).
const bundle = `${root}node_modules/.cache/kss-docs/catalog.mjs`;
mkdirSync(`${root}node_modules/.cache/kss-docs`, { recursive: true });
await build({
  stdin: { contents: "export { CODE_CATALOG } from './compiler/checker/catalog.ts'; export { REGISTRY } from './compiler/checker/registry.ts'; export { LIMITS } from './compiler/source/limits.ts';", resolveDir: root, loader: 'ts' },
  outfile: bundle, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning',
});
const { CODE_CATALOG, REGISTRY, LIMITS } = await import(bundle);
const n = (x) => x.toLocaleString('en-US');


const EXAMPLES = {
  KSS1001: 'decrypt:\n- - rule: [unclosed',
  KSS1002: 'decrypt:\n- - rule: approve-rule\ndecrypt: []        # second `decrypt`',
  KSS1003: '- decrypt        # a list, not a mapping',
  KSS1004: 'decrypt: approve-rule     # must be a list of rule sets',
  KSS1005: 'decrypt:\n- rule: approve-rule      # a rule set must itself be a list: `- - rule: ...`',
  KSS1006: 'decrypt:\n- - approve-rule          # a rule is a mapping: `rule: approve-rule`',
  KSS1008: '(a file of many megabytes)',
  KSS1009: '(a binary file, e.g. an image, given by mistake)',
  KSS1010: 'decrypt:\n- - *office       # no anchor `&office` defined\n# or a "billion laughs": a: &a [x, x, x], b: &b [*a, *a, *a], c: &c [*b, *b, *b], ...',
  KSS1011: '(a policy saved as Latin-1: `café` is the bytes 63 61 66 E9)',
  KSS1012: 'decrypt:\n- - rule: meta-rule\n    paths: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]   # nested more than 64 levels',
  KSS9001: '(any policy that makes a check fail: please report it)',
  KSS9002: '(a policy with more than --max-diagnostics problems)',
  KSS9003: '# .kss.yml\nseverity:\n  KSS3005: loud      # not a level',
};
const FIX = {
  KSS2900: 'Run `kss check` on the policy: it reports the cause with a precise position. A policy that `kss check` passes never gets this code; if one does, please report it with the policy.',
  KSS1011: 'Save the file as UTF-8. The error points at the first byte that is not UTF-8; an editor usually shows it as `?` or `�`.',
  KSS1012: `Write the policy out plainly: a real policy needs few levels of nesting, few merges of merges and few aliases. The message names the limit that was reached and where. The limits (\`compiler/source/limits.ts\`): nesting ${n(LIMITS.nesting)} levels, merge keys ${n(LIMITS.mergeDepth)} deep, ${n(LIMITS.nodes)} values (aliases and merges expanded; a 60,000-line policy has about 200,000), and ${n(LIMITS.aliasExpansion)} values made by aliases and merges alone (reported as KSS1010).`,
  KSS1001: 'Fix the YAML syntax at the position shown; JSON is accepted too.',
  KSS1002: 'Merge the two entries, or rename one.',
  KSS9002: 'Fix the diagnostics shown first (many usually share one cause), or raise `kss check --max-diagnostics`.',
  KSS9003: 'Use `error`, `warning`, `info`, `hint` or `off` as levels, keyed by code or check id under `severity:`.',
};

const checks = new Map(REGISTRY.map((c) => [c.code, c]));
const index = ['# Diagnostics', '', 'Every code `kss check` (and the editor) can report. Codes are stable: `KSS1xxx` shape, `KSS2xxx` semantics, `KSS3xxx` lints, `KSS9xxx` the tool itself.', '', '| code | name | default | what |', '|---|---|---|---|'];
for (const entry of CODE_CATALOG) {
  const check = checks.get(entry.code);
  const summary = check?.meta.docs.summary ?? entry.description;
  const example = check?.meta.docs.example ?? EXAMPLES[entry.code];
  const lines = [
    `# ${entry.code} \`${entry.name}\``,
    '',
    `**Default severity:** ${entry.defaultSeverity}${check ? ` · **Check:** \`compiler/checker/rules/${check.id}.ts\`` : ''}`,
    '',
    `${check ? check.meta.description[0].toUpperCase() + check.meta.description.slice(1) + '.' : entry.description}`,
    '',
    '## Why',
    '',
    summary,
    '',
  ];
  if (example) lines.push('## Example', '', '```yaml', example, '```', '');
  if (FIX[entry.code]) lines.push('## Fix', '', FIX[entry.code], '');
  lines.push(
    '## Configure',
    '',
    (entry.code.startsWith('KSS1') || entry.code.startsWith('KSS29')) && !check
      ? (entry.code.startsWith('KSS29') ? 'Reported by `kss compile` (lowering), not by `kss check`; it cannot be configured.' : 'This is a reading error: the file cannot be checked further until it is fixed. Its severity can still be changed in `.kss.yml`.')
      : `Change its severity in \`.kss.yml\` (\`severity: { ${entry.code}: warning }\` or by name, \`${entry.name}: off\`), or silence one place with \`# kss-ignore: ${entry.code}\` at the end of the line or on the line above.`,
    '',
  );
  const page = `${out}${entry.code}.md`;
  if (overwrite || !existsSync(page)) {
    writeFileSync(page, lines.join('\n'));
    written++;
  }
  index.push(`| [${entry.code}](${entry.code}.md) | \`${entry.name}\` | ${entry.defaultSeverity} | ${check ? check.meta.description : entry.description} |`);
}
writeFileSync(`${out}README.md`, `${index.join('\n')}\n`);
console.log(`docs/diagnostics: wrote ${written} page(s) and the index`);
