/**
 * The canonical layout of a keyserver.yml, shared by `kss fmt` and the language server.
 * Pure: text in, text out. Works on the `yaml` Document (not the AST) so comments, anchors, aliases,
 * merge keys and scalar styles survive; only layout changes, never the value the policy reads as.
 *
 * The layout: two-space indentation, sequences indented under their key, nested rule sets written
 * `- - rule: ...`, `rule` then `rule_id` first in every rule, one blank line between request types,
 * flow collections as `[a, b]`, no line folding, LF line ends and one final newline.
 */
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node as YamlNode, Pair, ToStringOptions, YAMLMap } from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import { LineIndex } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { parsePolicy } from '../source/parse.js';
import type { ParseResult } from '../source/ast.js';
import { duplicateKeys, readYaml } from '../source/read-yaml.js';
import { sameLayout } from './same-layout.js';

export interface FormatResult {
  /** The formatted text; null when the file is not YAML the formatter can read (see diagnostics). */
  text: string | null;
  /** Why the text could not be formatted (YAML errors); empty when formatted, or when no layout keeps the value. */
  diagnostics: Diagnostic[];
  /** Why the text was not formatted, in words (null when it was). */
  reason: string | null;
}

/**
 * A format and whether a pass left key order alone (moving `rule` first did not read back as the
 * same value): formatting by sections needs to know (by-sections.ts), that choice is made for the
 * whole Document at once.
 */
export interface Formatted {
  result: FormatResult;
  orderKept: boolean;
}

const YAML_ERRORS = 'the file has YAML errors; fix them first (`kss check` lists them)';

const TO_STRING: ToStringOptions = {
  indent: 2,
  indentSeq: true,
  lineWidth: 0,
  minContentWidth: 0,
  flowCollectionPadding: false,
};

/** Keys a rule starts with, in this order; the arguments follow as written. */
const LEADING_RULE_KEYS = ['rule', 'rule_id'];

/**
 * `parsed`: the policy reader's result for this very text when the caller has one (the language
 * server's analysis); its Document is formatted in place, not parsed again, and put back as it was
 * before this returns. Parsing is most of the cost of formatting (a 5,000-line policy: ~50-100 ms
 * per parse; a copy of the Document costs about as much, hence no copy).
 */
export function formatPolicy(text: string, parsed?: ParseResult): FormatResult {
  const ast = parsed?.ast?.text === text ? parsed.ast : null;
  return borrowing(text, ast && parsed ? { diagnostics: parsed.diagnostics, document: ast.document, lines: ast.lines } : null).result;
}

/**
 * `formatPolicy(text)`, and whether a pass kept key order. `read`: the caller's reading of this very
 * text (readYaml) with no YAML error and within the reading limits (by-sections.ts: an analysis by
 * sections read it); its Document is borrowed, put back as it was before this returns.
 */
export function formatText(text: string, read?: { document: Document.Parsed; lines: LineIndex }): Formatted {
  return borrowing(text, read ? { diagnostics: [], ...read } : null);
}

/** What a caller read of the text already: the policy reader's diagnostics and its Document. */
interface Reading {
  diagnostics: Diagnostic[];
  document: Document.Parsed | null;
  lines: LineIndex;
}

function borrowing(text: string, reading: Reading | null): Formatted {
  const undo: Undo = [];
  try {
    return format(text, reading, undo);
  } finally {
    // Last change first: each entry puts back what the one before it found.
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
  }
}

/** What puts a borrowed Document back as it was, one function per property changed. */
type Undo = Array<() => void>;

function format(text: string, reader: Reading | null, undo: Undo): Formatted {
  let orderKept = false;
  const result = formatOnce(text, reader, undo, () => void (orderKept = true));
  return { result, orderKept };
}

function formatOnce(text: string, reader: Reading | null, undo: Undo, keptOrder: () => void): FormatResult {
  const source = text.replace(/\r\n?/g, '\n');
  // The policy reader first, under its limits (a hostile file stops there, in bounded work).
  const parsed = reader ? null : parsePolicy(text);
  const { diagnostics } = reader ?? parsed!;
  const problems = yamlDiagnostics(diagnostics);
  if (problems.length > 0) return { text: null, diagnostics: problems, reason: YAML_ERRORS };
  const ast = reader ?? (parsed?.ast ? { document: parsed.ast.document, lines: parsed.ast.lines } : null);
  // The reader's own Document when it read this very text; borrowed (changes undone) when it belongs to the caller.
  const own = ast?.document && source === text ? ast.document : null;
  const document = own && ast ? checked(own, ast.lines) : read(source);
  if (!document) return { text: null, diagnostics: [], reason: YAML_ERRORS };
  if (document.contents === null) return { text: tidyBlank(source), diagnostics: [], reason: null };
  const value = plainValue(document);
  if (value === UNREADABLE) return { text: null, diagnostics: yamlDiagnostics(diagnostics), reason: YAML_ERRORS };

  // The yaml package attaches a comment that follows a nested block to the innermost collection, so
  // one pass can move a comment that a second pass would move again. Formatting is repeated until
  // it no longer changes anything, which makes `kss fmt` idempotent by construction. Each pass
  // starts from the Document the previous one read back (the same text, so no second parse), and
  // one whose Document is laid out as the one just written is not written again (same-layout.ts).
  let current = source;
  let next: Pass | null = { document, text: source, written: null, orderKept: false };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    next = onePass(next, current, value, reader && next.document === own ? undo : null);
    if (next === null) return { text: null, diagnostics: [], reason: NO_LAYOUT };
    if (next.orderKept) keptOrder();
    if (next.text === current) return { text: next.text, diagnostics: [], reason: null };
    current = next.text;
  }
  return { text: null, diagnostics: [], reason: 'the layout did not settle; left as written (please report this policy)' };
}

/** A formatted text, its Document read back from that text, and the Document that was written to it. */
interface Pass {
  document: Document.Parsed;
  text: string;
  /** Null before the first pass (the source was not written by the formatter). */
  written: Document.Parsed | null;
  /** This pass left key order alone. */
  orderKept: boolean;
}

const MAX_PASSES = 4;
const NO_LAYOUT = 'no canonical layout reads back as the same value (an unusual use of anchors?); left as written';

function read(source: string): Document.Parsed | null {
  try {
    // The parser's own reading, so both agree on what is an error.
    const lines = new LineIndex(source);
    const { document, problems } = readYaml(source, lines);
    return problems.length > 0 || !document ? null : checked(document, lines);
  } catch {
    return null;
  }
}

/** Every mapping's keys, also those the policy reader does not reach (it stops at a wrong shape). */
function checked(document: Document.Parsed, lines: LineIndex): Document.Parsed | null {
  return duplicateKeys(document, lines).length > 0 ? null : document;
}

/**
 * One formatting pass over `previous.document` (read from `source`), checked to read back as
 * `value`. Moving `rule` first could put an alias before its anchor, so when the reordered layout
 * does not keep the value, key order is left alone. `undo`: the Document is borrowed, its changes
 * are recorded there.
 */
function onePass(previous: Pass, source: string, value: unknown, undo: Undo | null): Pass | null {
  const { document } = previous;
  for (const reorder of [true, false]) {
    // A fresh reading for the second attempt: only the first one may start from a borrowed Document.
    const attempt = reorder ? document : read(source);
    if (!attempt) return null;
    canonicalise(attempt, reorder, reorder ? undo : null);
    let formatted: string;
    // `source` was written from `previous.written`: laid out alike, this Document writes `source`
    // again (same-layout.ts says why that is sound), and writing it would only confirm it.
    if (previous.written && sameLayout(attempt, previous.written)) formatted = source;
    else {
      try {
        formatted = tidyBlank(attempt.toString(TO_STRING));
      } catch {
        continue;
      }
    }
    // The text this pass started from already reads as `value`: the layout has settled.
    if (formatted === source) return { document, text: formatted, written: attempt, orderKept: !reorder };
    const again = read(formatted);
    if (again && isDeepStrictEqual(plainValue(again), value)) return { document: again, text: formatted, written: attempt, orderKept: !reorder };
  }
  return null;
}

const UNREADABLE = Symbol('unreadable');

function plainValue(document: Document.Parsed): unknown {
  try {
    return document.toJS({ maxAliasCount: 1000 });
  } catch {
    return UNREADABLE;
  }
}

/** True when formatting would leave the text as it is (or cannot format it). */
export function isFormatted(text: string): boolean {
  const { text: formatted } = formatPolicy(text);
  return formatted === null || formatted === text;
}

/** Sets `object[key]`, and records in `undo` (when given) how to put back what was there. */
function assign<T extends object, K extends keyof T>(object: T, key: K, value: T[K], undo: Undo | null): void {
  if (undo) {
    const had = Object.prototype.hasOwnProperty.call(object, key);
    const old = object[key];
    undo.push(() => {
      if (had) object[key] = old;
      else delete object[key];
    });
  }
  object[key] = value;
}

function canonicalise(document: Document.Parsed, reorder: boolean, undo: Undo | null): void {
  const top = document.contents;
  if (!isMap(top)) return;
  top.items.forEach((pair, index) => {
    // One blank line between request types makes the outline visible in the text too.
    const key = pair.key as YamlNode | null;
    if (index > 0 && !top.flow && key && typeof key === 'object' && key.spaceBefore !== true) assign(key, 'spaceBefore', true, undo);
    const tree = pair.value as YamlNode | null;
    if (!isSeq(tree)) return;
    for (const ruleSet of tree.items) {
      if (!isSeq(ruleSet)) continue;
      for (const rule of ruleSet.items) if (reorder && isMap(rule)) orderRuleKeys(rule as YAMLMap, undo);
    }
  });
}

function orderRuleKeys(rule: YAMLMap, undo: Undo | null): void {
  const pairs = rule.items as Pair[];
  const leading: Pair[] = [];
  for (const name of LEADING_RULE_KEYS) {
    const pair = pairs.find((p) => isPair(p) && isScalar(p.key) && p.key.value === name);
    if (pair) leading.push(pair);
  }
  if (leading.length === 0) return;
  const rest = pairs.filter((p) => !leading.includes(p));
  const reordered = [...leading, ...rest];
  if (reordered.every((p, i) => p === pairs[i])) return;
  // A comment written above the first key belongs to the rule, not to whichever key was first.
  const firstKey = pairs[0]?.key as YamlNode | null;
  const newFirstKey = reordered[0]?.key as YamlNode | null;
  if (firstKey && newFirstKey && firstKey !== newFirstKey && firstKey.commentBefore && !newFirstKey.commentBefore) {
    assign(newFirstKey, 'commentBefore', firstKey.commentBefore, undo);
    assign(firstKey, 'commentBefore', undefined, undo);
  }
  assign(rule, 'items', reordered, undo);
}

/** No trailing spaces, at most one blank line in a row, exactly one final newline. */
function tidyBlank(text: string): string {
  const lines = text.split('\n').map((line) => line.replace(/[ \t]+$/, ''));
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

const YAML_CODES = new Set(['KSS1001', 'KSS1002', 'KSS1008', 'KSS1009', 'KSS1010', 'KSS1012']);

function yamlDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => YAML_CODES.has(d.code));
}
