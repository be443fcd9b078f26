/** `kss check --explain CODE`: the documentation of one diagnostic code, from the checks' own metadata. */
import { CODE_CATALOG } from '../../compiler/checker/catalog.js';
import { REGISTRY } from '../../compiler/checker/registry.js';

/** The text for a code (`KSS3005`) or a check id (`throttle-without-rule-id`), or null when unknown. */
export function explain(codeOrId: string): string | null {
  const wanted = codeOrId.trim();
  const entry = CODE_CATALOG.find((e) => e.code.toLowerCase() === wanted.toLowerCase() || e.name === wanted);
  if (!entry) return null;
  const check = REGISTRY.find((c) => c.code === entry.code);
  const lines = [`${entry.code} ${entry.name} (default: ${entry.defaultSeverity})`, '', check ? check.meta.description : entry.description];
  if (check) lines.push('', check.meta.docs.summary);
  if (check?.meta.docs.example) lines.push('', 'Example:', ...check.meta.docs.example.split('\n').map((l) => `  ${l}`));
  lines.push('', `More: ${entry.doc}`);
  return `${lines.join('\n')}\n`;
}
