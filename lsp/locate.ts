/**
 * Where the cursor is in the policy's structure, read from indentation alone.
 * Completion and hover must work while the author is typing, when the YAML does not parse, so this
 * does not use the AST: block YAML's structure is visible in each line's indentation and `- ` marks.
 */

/** One source line as the locator sees it. */
interface LineShape {
  /** Column (0-based) where the key or scalar starts, after indentation and `- ` item marks. */
  keyCol: number;
  /** Number of `- ` item marks before the key. */
  dashes: number;
  /** The key when the line is `key:` or `key: value`. */
  key: string | null;
  /** The value after `key:`, without a trailing comment. */
  value: string | null;
  /** Column where the value starts. */
  valueCol: number;
  blank: boolean;
}

const SHAPE = /^([ \t]*)((?:-[ \t]+)*)(-?)([\s\S]*)$/;
const KEY_VALUE = /^([A-Za-z0-9_<][\w<-]*)[ \t]*:(?:[ \t]+|$)([\s\S]*)$/;

export function lineShape(line: string): LineShape {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const match = SHAPE.exec(text)!;
  const marks = match[2]!;
  const lone = match[3]!; // a `-` at the end of the line opens an item whose content follows below
  const rest = match[4]!;
  const keyCol = match[1]!.length + marks.length + lone.length;
  const dashes = (marks.match(/-/g)?.length ?? 0) + (lone ? 1 : 0);
  const blank = rest.trim() === '' || rest.trimStart().startsWith('#');
  const kv = KEY_VALUE.exec(rest);
  if (!kv) return { keyCol, dashes, key: null, value: null, valueCol: keyCol, blank };
  const rawValue = kv[2]!;
  const value = rawValue.replace(/\s+#.*$/, '').trim();
  return { keyCol, dashes, key: kv[1]!, value, valueCol: keyCol + rest.length - rawValue.length, blank };
}

/** The mapping a line belongs to: its keys (and values) and the line where it begins. */
export interface EnclosingMap {
  entries: Map<string, { value: string; line: number }>;
  /** 0-based line of the first key of the mapping. */
  firstLine: number;
  keyCol: number;
}

/** The keys of the block mapping whose keys start at `keyCol` around `line` (0-based). */
export function enclosingMap(lines: string[], line: number, keyCol: number): EnclosingMap {
  const entries = new Map<string, { value: string; line: number }>();
  let firstLine = line;
  const current = lines[line] === undefined ? null : lineShape(lines[line]!);
  const add = (i: number, shape: LineShape) => {
    if (shape.key && !entries.has(shape.key)) entries.set(shape.key, { value: shape.value ?? '', line: i });
  };
  if (current && current.keyCol === keyCol) add(line, current);
  // Upwards: siblings until the line that opens the mapping (`- key:`) or a less indented line.
  if (!(current && current.keyCol === keyCol && current.dashes > 0)) {
    for (let i = line - 1; i >= 0; i--) {
      const shape = lineShape(lines[i]!);
      if (shape.blank || shape.keyCol > keyCol) continue;
      if (shape.keyCol < keyCol) break;
      add(i, shape);
      firstLine = i;
      if (shape.dashes > 0) break;
    }
  }
  for (let i = line + 1; i < lines.length; i++) {
    const shape = lineShape(lines[i]!);
    if (shape.blank || shape.keyCol > keyCol) continue;
    if (shape.keyCol < keyCol || shape.dashes > 0) break;
    add(i, shape);
  }
  return { entries, firstLine, keyCol };
}

/** The `key:` (with no value on its line) that owns the list item starting at column `indent`. */
function listOwner(lines: string[], line: number, indent: number): { key: string; line: number; keyCol: number } | null {
  for (let i = line - 1; i >= 0; i--) {
    const text = lines[i]!;
    const shape = lineShape(text);
    if (shape.blank) continue;
    const lineIndent = text.length - text.trimStart().length;
    if (lineIndent > indent || (lineIndent === indent && shape.dashes > 0)) continue;
    if (shape.key && shape.value === '' && shape.keyCol <= indent) return { key: shape.key, line: i, keyCol: shape.keyCol };
    return null;
  }
  return null;
}

/** The request type (top-level key) that a line is under. */
export function requestTypeAt(lines: string[], line: number): string | null {
  for (let i = line; i >= 0; i--) {
    const text = lines[i]!;
    if (/^[A-Za-z_]/.test(text)) {
      const shape = lineShape(text);
      return shape.key;
    }
  }
  return null;
}

export type CursorContext =
  | { kind: 'requestTypeKey'; prefix: string }
  | { kind: 'ruleKey'; prefix: string; requestType: string | null; ruleKind: string | null; used: string[] }
  | { kind: 'ruleKind'; prefix: string; requestType: string | null }
  | { kind: 'argumentValue'; prefix: string; ruleKind: string; argument: string; inList: boolean }
  | { kind: 'none' };

/**
 * What may be typed at (line, character), both 0-based. `lines` is the document split on `\n`.
 * Rules live at dash depth 2 (request type → rule set item → rule item), so a mapping is a rule when
 * it holds a `rule` key or sits under two item marks.
 */
export function cursorContext(lines: string[], line: number, character: number): CursorContext {
  const text = (lines[line] ?? '').replace(/\r$/, '');
  const before = text.slice(0, character);
  if (/#/.test(before.replace(/(['"]).*?\1/g, ''))) return { kind: 'none' };

  const keyTyping = /^(\s*(?:-[ \t]+)*)([\w-]*)$/.exec(before);
  if (keyTyping) {
    const keyCol = keyTyping[1]!.length;
    const prefix = keyTyping[2]!;
    if (keyCol === 0) return { kind: 'requestTypeKey', prefix };
    if (before.trimStart().startsWith('-')) {
      const owner = listOwner(lines, line, before.length - before.trimStart().length);
      if (owner && owner.keyCol > 0 && owner.key !== 'rule') {
        // `- ` under an argument such as `days:`: an item of a list value.
        const ruleKind = enclosingMap(lines, owner.line, owner.keyCol).entries.get('rule')?.value;
        if (ruleKind) return { kind: 'argumentValue', prefix, ruleKind: unquote(ruleKind), argument: owner.key, inList: true };
      }
    }
    const map = enclosingMap(lines, line, keyCol);
    const ruleKind = map.entries.get('rule')?.value;
    const used = [...map.entries.entries()].filter(([, e]) => e.line !== line).sort((a, b) => a[1].line - b[1].line).map(([k]) => k);
    return { kind: 'ruleKey', prefix, requestType: requestTypeAt(lines, line), ruleKind: ruleKind ? unquote(ruleKind) : null, used };
  }

  const valueTyping = /^(\s*(?:-[ \t]+)*)([\w-]+)[ \t]*:[ \t]+(\[[^\]]*?,?[ \t]*)?(["']?[\w:.+-]*)$/.exec(before);
  if (valueTyping) {
    const keyCol = valueTyping[1]!.length;
    const key = valueTyping[2]!;
    const prefix = valueTyping[4]!.replace(/^["']/, '');
    if (keyCol === 0) return { kind: 'none' };
    if (key === 'rule') return { kind: 'ruleKind', prefix, requestType: requestTypeAt(lines, line) };
    const map = enclosingMap(lines, line, keyCol);
    const ruleKind = map.entries.get('rule')?.value;
    if (!ruleKind) return { kind: 'none' };
    return { kind: 'argumentValue', prefix, ruleKind: unquote(ruleKind), argument: key, inList: valueTyping[3] !== undefined };
  }
  return { kind: 'none' };
}

/** What the word under the cursor names, for hover. */
export type HoverTarget =
  | { kind: 'requestType'; name: string; start: number; end: number }
  | { kind: 'ruleKind'; name: string; start: number; end: number }
  | { kind: 'argument'; ruleKind: string; name: string; start: number; end: number }
  | { kind: 'none' };

export function hoverTarget(lines: string[], line: number, character: number): HoverTarget {
  const text = (lines[line] ?? '').replace(/\r$/, '');
  const shape = lineShape(text);
  if (!shape.key) return { kind: 'none' };
  const keyEnd = shape.keyCol + shape.key.length;
  if (character >= shape.keyCol && character <= keyEnd) {
    if (shape.keyCol === 0 && shape.dashes === 0) return { kind: 'requestType', name: shape.key, start: 0, end: keyEnd };
    const map = enclosingMap(lines, line, shape.keyCol);
    const ruleKind = map.entries.get('rule')?.value;
    if (shape.key === 'rule' && shape.value) return { kind: 'ruleKind', name: unquote(shape.value), start: shape.valueCol, end: shape.valueCol + shape.value.length };
    if (ruleKind) return { kind: 'argument', ruleKind: unquote(ruleKind), name: shape.key, start: shape.keyCol, end: keyEnd };
    return { kind: 'none' };
  }
  if (shape.key === 'rule' && shape.value && character >= shape.valueCol && character <= shape.valueCol + shape.value.length) {
    return { kind: 'ruleKind', name: unquote(shape.value), start: shape.valueCol, end: shape.valueCol + shape.value.length };
  }
  return { kind: 'none' };
}

function unquote(value: string): string {
  return value.replace(/^(['"])(.*)\1$/, '$2');
}
