/**
 * The typed AST of a keyserver.yml: policy → request types → rule sets → rules → arguments.
 * Every node keeps its source range. Values are plain JavaScript values as YAML 1.2 (core schema)
 * reads them, with aliases resolved; `node` gives access to the underlying `yaml` node when a
 * consumer (formatter, quick fixes) needs it.
 */
import type { Document, Node as YamlNode } from 'yaml';
import type { Diagnostic, LineIndex, Range } from '../diagnostics.js';

/** A plain value as read from YAML (aliases resolved). */
export type PlainValue = null | boolean | number | string | PlainValue[] | { [key: string]: PlainValue };

export interface ValueNode {
  value: PlainValue;
  range: Range;
  /** For sequences: each item with its own range (aliases resolved, ranges of the alias site). */
  items?: ValueNode[];
  /** The YAML source text of a scalar, as written (e.g. `17:00`, `'17:00'`, `yes`), for lints about YAML 1.1 readers. */
  sourceText?: string;
  /** Where `sourceText` starts in the file: the anchor's scalar for an alias, else `range.start.offset`. */
  sourceStart?: number;
  /** True when the scalar was written without quotes. */
  plain?: boolean;
  node: YamlNode | null;
}

export interface ArgumentNode {
  key: string;
  keyRange: Range;
  value: ValueNode;
  /** Key and value together. */
  range: Range;
}

export interface RuleNode {
  /** 0-based position in its rule set. */
  index: number;
  range: Range;
  /** The value of the `rule` key when it is a string; null when missing or not a string. */
  kind: string | null;
  kindNode: ArgumentNode | null;
  /** The explicit `rule_id` entry, if written. */
  ruleId: ArgumentNode | null;
  /** Every other key of the rule mapping, in source order. */
  args: ArgumentNode[];
  /** The rule's mapping as written (with `rule` and `rule_id`), aliases resolved: the input of SPEC §5 ids. */
  value: { [key: string]: PlainValue };
}

export interface RuleSetNode {
  /** 0-based position in its request type's list. */
  index: number;
  range: Range;
  rules: RuleNode[];
}

export interface RequestTypeNode {
  name: string;
  nameRange: Range;
  /** Key and value together. */
  range: Range;
  /** Range of the value (the rule tree). */
  valueRange: Range;
  /** The rule sets; entries that are not lists are reported by the parser and left out. */
  ruleSets: RuleSetNode[];
}

export interface PolicyAst {
  file: string;
  text: string;
  lines: LineIndex;
  /** In file order. Unknown request types are included (the checker reports them). */
  requestTypes: RequestTypeNode[];
  document: Document.Parsed | null;
}

export interface ParseResult {
  /** Null when the text could not be read as a YAML mapping at all. */
  ast: PolicyAst | null;
  diagnostics: Diagnostic[];
}
