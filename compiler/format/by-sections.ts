/**
 * Formatting by top-level sections, for the language server (issue 15: a 5,000-line policy formatted
 * after each edit within 150 ms). Each part of the text (one request type: its key line up to the
 * next key line; the first part also holds the comments before the first key) is formatted on its
 * own, and a part whose text was formatted before is not formatted again: formatting is a function
 * of the text alone. The parts' results, one blank line between them, are the text `formatPolicy`
 * gives for the whole (test/format/by-sections.test.ts compares them byte for byte).
 *
 * It starts from an analysis by sections of this very text (compiler/sections/): that analysis
 * succeeded only when each section reads alone as the whole text reads it (one block-mapping key,
 * no YAML error, its aliases' anchors its own), no top-level key repeats and the reading limits hold
 * for the whole, so the whole reading has no YAML error either. What formatting needs beyond that is
 * checked here, and anything else is left to the whole-text formatter (the caller's, on null):
 * - no anchor, alias or block scalar in any section: moving `rule` first is decided for the whole
 *   Document at once (an alias could make it keep key order everywhere), and a block scalar's
 *   trailing blank lines could belong to it;
 * - a section but the last ends in a value written (`endsInBlock`), and comment lines after it only
 *   when its own reading kept them inside the section's value (not as the Document's end comment)
 *   and none is at column 0: else the whole reading may give them to the next key (written after the
 *   blank line between request types) where the section's own reading gives them to its end;
 * - no CR line ends (the formatter writes LF; the sections' readings are of the text as written);
 * - every part formats, and with `rule` moved first.
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Document, Pair } from 'yaml';
import { LineIndex } from '../diagnostics.js';
import type { ReadSection } from '../sections/incremental.js';
import { formatText } from './format.js';
import type { FormatResult } from './format.js';

export class SectionFormatter {
  /** Each part of the last format, by its text; null: one that is not formatted alone. */
  private kept = new Map<string, Part | null>();
  /** The last format by sections: its parts, and how many were formatted (not kept); null: whole. */
  last: { parts: number; formatted: number } | null = null;

  /**
   * `formatPolicy(text)` by sections, from `sections`: those of an analysis by sections of this very
   * text (IncrementalAnalyzer.lastRead). Null when the whole text must be formatted instead.
   */
  format(text: string, sections: readonly ReadSection[]): FormatResult | null {
    this.last = null;
    if (sections.length === 0 || text.includes('\r')) return null;
    const kept = new Map<string, Part | null>();
    const out: string[] = [];
    let formatted = 0;
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i]!;
      const part = section.text;
      let done = kept.has(part) ? kept.get(part) : this.kept.get(part);
      if (done === undefined) {
        done = formatPart(section);
        formatted++;
      }
      kept.set(part, done);
      // Kept either way: while the author types elsewhere, that part is not formatted again.
      if (done === null || (i + 1 < sections.length && !done.endsAlike)) {
        this.kept = kept;
        return null;
      }
      out.push(done.text);
    }
    this.kept = kept;
    this.last = { parts: sections.length, formatted };
    return { text: out.join('\n'), diagnostics: [], reason: null };
  }
}

/** A part formatted alone. */
interface Part {
  text: string;
  /** Its end is read as the whole text reads it when another section follows (see above). */
  endsAlike: boolean;
}

/** One part formatted alone, or null when its formatting may differ from the whole text's. */
function formatPart(section: ReadSection): Part | null {
  const { document, text: part } = section;
  if (!plainSection(document)) return null;
  // Checked before formatting, which changes the Document (and puts it back).
  const value = isMap(document.contents) ? (document.contents.items[0] as Pair).value : null;
  const endsAlike = endsInBlock(value) && (!trailingComments(part) || (!document.comment && !trailingAtColumn0(part)));
  // The section's reading is lent: the part is that very text (the first section holds the
  // comments before its key, split.ts).
  const done = formatText(part, { document, lines: new LineIndex(part) });
  return done.orderKept || done.result.text === null ? null : { text: done.result.text, endsAlike };
}

/**
 * A block sequence (the rule sets) whose last value, down its last items, is written: where the
 * section ends, comment lines after it stay in both readings. Not an empty last item: a comment
 * before or after a `-` alone at a section's end is read otherwise whole.
 */
function endsInBlock(value: unknown): boolean {
  if (!isSeq(value) || value.flow) return false;
  let node: unknown = value;
  while ((isSeq(node) || isMap(node)) && !node.flow) {
    const last: unknown = node.items[node.items.length - 1];
    if (last === undefined) return false;
    node = isPair(last) ? last.value : last;
  }
  const range = isNode(node) ? node.range : null;
  return !!range && range[1] > range[0];
}

/** No anchor, alias or block scalar anywhere in the Document. */
function plainSection(document: Document.Parsed): boolean {
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined) continue;
    if (isAlias(node)) return false;
    if (isScalar(node)) {
      if (node.anchor || node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) return false;
    } else if (isSeq(node) || isMap(node)) {
      if (node.anchor) return false;
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) stack.push(node.key, node.value);
    else return false;
  }
  return true;
}

/** The lines after the part's last value, bottom up, until that value's line: blank or comment. */
function* trailingLines(part: string): Generator<string> {
  let end = part.length;
  while (end > 0) {
    const start = part.lastIndexOf('\n', end - 2) + 1;
    const line = part.slice(start, end);
    if (!/^[ \t]*(#.*)?\n?$/.test(line)) return;
    yield line;
    end = start;
  }
}

/** A comment line after the part's last value. */
function trailingComments(part: string): boolean {
  for (const line of trailingLines(part)) if (line.trimStart().startsWith('#')) return true;
  return false;
}

/**
 * A comment line at column 0 after the part's last value. A line that only looks like a comment (in
 * a quoted scalar) may be counted: that only leaves more texts to the whole-text formatter.
 */
function trailingAtColumn0(part: string): boolean {
  for (const line of trailingLines(part)) if (line.startsWith('#')) return true;
  return false;
}
