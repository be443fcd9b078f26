/**
 * A policy's text cut into its top-level sections (one request type each) by looking at the first
 * character of each line only. Conservative by design: a line that could be anything but a new
 * top-level key or part of the current section (a flow collection's `]`, an explicit `?` key, an
 * alias, a tag, `...`) makes the answer null, and the caller reads the whole text instead.
 */

export interface Section {
  /** Offset of the section's first character (a line start: its key's, or 0 for the first section). */
  start: number;
  /** 0-based line of `start`. */
  line: number;
  text: string;
  /**
   * Offset of the key in `text`: 0, except in a first section that holds the comment, blank and
   * `---` lines before its key. Read with them, the first section reads as the whole text begins
   * (its leading comments where the whole reading puts them), so a formatter can lend its reading.
   */
  keyAt: number;
}

/**
 * The sections (the first from the text's start), or null when the text is not simply "comments,
 * then top-level `key:` lines each followed by indented, comment, blank or `- ` lines". Before the
 * first key: blank and comment lines, and at most one `---` line.
 */
export function splitSections(text: string): Section[] | null {
  const sections: Section[] = [];
  let start = -1;
  let startLine = 0;
  let markers = 0;
  let line = 0;
  for (let at = 0; at < text.length; line++) {
    const next = text.indexOf('\n', at);
    const end = next < 0 ? text.length : next + 1;
    const kind = lineKind(text, at, end);
    if (kind === 'key') {
      if (start >= 0) sections.push(section(text, sections.length === 0, start, at, startLine));
      start = at;
      startLine = line;
    } else if (kind === 'marker' && start < 0 && markers++ === 0) {
      // `---` before the first key opens the one document, as when read whole.
    } else if (kind !== 'inside' || (start < 0 && !isBlankOrComment(text, at, end))) {
      return null;
    }
    at = end;
  }
  if (start < 0) return null;
  sections.push(section(text, sections.length === 0, start, text.length, startLine));
  return sections;
}

/** The section of the key at offset `key` (line `keyLine`) up to `end`; the first one from the text's start. */
function section(text: string, first: boolean, key: number, end: number, keyLine: number): Section {
  const start = first ? 0 : key;
  return { start, line: first ? 0 : keyLine, text: text.slice(start, end), keyAt: key - start };
}

/** A line whose first character starts a plain or quoted key: a top-level key of a block mapping. */
const KEY_START = /[A-Za-z0-9_"']/;

function lineKind(text: string, at: number, end: number): 'key' | 'inside' | 'marker' | 'other' {
  const first = text[at]!;
  if (KEY_START.test(first)) return 'key';
  // Not a tab: a line indented with one can end a section differently when read whole (`decrypt:`,
  // a tab-indented comment, an indented plain scalar, `rename:` is a YAML error read whole only).
  if (first === ' ' || first === '#' || first === '\r' || first === '\n') return 'inside';
  if (first === '-') {
    const second = text[at + 1];
    // A block sequence written at the key's indentation (`decrypt:` then `- - rule: ...`).
    if (second === undefined || second === ' ' || second === '\t' || second === '\r' || second === '\n') return 'inside';
    if (/^---[ \t]*\r?\n?$/.test(text.slice(at, end))) return 'marker';
  }
  return 'other';
}

function isBlankOrComment(text: string, at: number, end: number): boolean {
  return /^[ \t]*(#.*)?\r?\n?$/.test(text.slice(at, end));
}
