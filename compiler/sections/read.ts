/**
 * One section read on its own, and whether that reading is the one the whole text would give: the
 * section must read without YAML errors as a block mapping of exactly one key, written at the
 * section's key line (`keyAt`: the first section holds the lines before it), and each of its
 * aliases must stand for an anchor of the same section (an anchor elsewhere would be found only
 * when the whole text is read).
 */
import { isMap, isScalar } from 'yaml';
import type { Document, Pair } from 'yaml';
import { LineIndex } from '../diagnostics.js';
import { isMergeKey } from '../source/plain.js';
import { aliasTargets, readYaml } from '../source/read-yaml.js';

export interface SectionRead {
  /** Null when this section must be read as part of the whole text. */
  document: Document.Parsed | null;
  /** The top-level key's value (repeated keys are compared as the parser does). */
  key: unknown;
  /** Values written (LIMITS.nodes of the parser stage). */
  values: number;
}

export function readSection(text: string, keyAt: number): SectionRead {
  const { document, problems, values, aliases } = readYaml(text, new LineIndex(text));
  const whole: SectionRead = { document: null, key: null, values };
  const top = document?.contents;
  if (!document || problems.length > 0 || !isMap(top) || top.flow || top.items.length !== 1 || top.range?.[0] !== keyAt) return whole;
  const key = (top.items[0] as Pair).key;
  if (!isScalar(key) || isMergeKey(key) || key.range?.[0] !== keyAt || key.anchor || key.tag) return whole;
  // Every alias (the reader counted their lexemes) must find its anchor in the section.
  if (aliases > 0 && aliasTargets(document).size !== aliases) return whole;
  return { document, key: key.value, values };
}
