/**
 * What a check sees: the AST, helpers to walk it, and `report`, which computes the diagnostic's
 * range from the reported node so that checks never deal with positions themselves.
 */
import type { Diagnostic, Range } from '../diagnostics.js';
import type { ArgumentNode, PolicyAst, RequestTypeNode, RuleNode, RuleSetNode, ValueNode } from '../source/ast.js';
import type { ErrorObject } from 'ajv';
import type { RuleKind } from '../ir/types.js';
import { validateArgument } from '../arguments/validate.js';
import { Fragments, fragmentRange } from '../arguments/fragments.js';
import type { ZoneInfo } from '../zone-info.js';
import type { FragmentError } from '../grammars/result.js';
import type { Check, Report, Reportable } from './registry.js';

export { argument } from '../arguments/read.js';

export interface CheckOptions {
  /** The analysis's fragment cache, shared with lowering (a fresh one when not given). */
  fragments?: Fragments;
  /** The server's zone, when the caller knows it: zone-dependent checks are then exact. */
  zone?: ZoneInfo;
}

export interface RuleLocation {
  requestType: RequestTypeNode;
  ruleSet: RuleSetNode;
  rule: RuleNode;
}

export class CheckContext {
  readonly diagnostics: Diagnostic[] = [];
  private current: Check | null = null;

  private readonly memo = new Map<string, unknown>();
  /** Times, dates, patterns and regexes, each read once per analysis. */
  readonly fragments: Fragments;
  readonly zone: ZoneInfo | undefined;

  constructor(readonly ast: PolicyAst, options: CheckOptions = {}) {
    this.fragments = options.fragments ?? new Fragments();
    this.zone = options.zone;
  }

  /** Shares work between checks (e.g. walking the rules once). */
  cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  /** Called by the runner before each check. */
  begin(check: Check): void {
    this.current = check;
  }

  report(report: Report): void {
    const check = this.current;
    if (!check) throw new Error('report() called outside a check');
    let message = report.message ?? (report.messageId ? check.meta.messages?.[report.messageId] : undefined) ?? check.meta.description;
    if (report.values) {
      for (const [name, value] of Object.entries(report.values)) message = message.split(`{${name}}`).join(String(value));
    }
    this.diagnostics.push({
      code: check.code,
      severity: check.meta.defaultSeverity,
      message,
      range: this.trimmed(rangeOf(report.node)),
      ...(report.help ? { help: report.help } : {}),
      ...(report.data ? { data: report.data } : {}),
    });
  }

  /** Block nodes end after their last line break; a diagnostic should end on its last character. */
  private trimmed(range: Range): Range {
    const text = this.ast.text;
    let end = range.end.offset;
    // YAML whitespace only: U+2028 and friends are content (and what yaml-1-1-reading points at).
    while (end > range.start.offset && /[ \t\r\n]/.test(text[end - 1]!)) end--;
    return end === range.end.offset ? range : this.ast.lines.range(range.start.offset, end);
  }

  /** Every rule of the policy in file order (computed once per run: every check walks it). */
  rules(): readonly RuleLocation[] {
    return this.cached('rules', () => {
      const all: RuleLocation[] = [];
      for (const requestType of this.ast.requestTypes) {
        for (const ruleSet of requestType.ruleSets) {
          for (const rule of ruleSet.rules) all.push({ requestType, ruleSet, rule });
        }
      }
      return all;
    });
  }

  /** Every rule set of the policy in file order, with its request type. */
  ruleSets(): ReadonlyArray<{ requestType: RequestTypeNode; ruleSet: RuleSetNode }> {
    return this.cached('ruleSets', () => this.ast.requestTypes.flatMap((requestType) => requestType.ruleSets.map((ruleSet) => ({ requestType, ruleSet }))));
  }

  /** Every rule of the given kind, in file order. */
  rulesOfKind(kind: string): readonly RuleLocation[] {
    const byKind = this.cached('rulesByKind', () => {
      const map = new Map<string, RuleLocation[]>();
      for (const location of this.rules()) {
        if (location.rule.kind === null) continue;
        const list = map.get(location.rule.kind) ?? [];
        list.push(location);
        map.set(location.rule.kind, list);
      }
      return map;
    });
    return byKind.get(kind) ?? [];
  }

  /** ajv's errors for one argument, validated once however many checks ask. */
  argumentErrors(kind: RuleKind, arg: ArgumentNode): ErrorObject[] {
    const cache = this.cached('argumentErrors', () => new Map<ArgumentNode, ErrorObject[]>());
    let errors = cache.get(arg);
    if (!errors) {
      errors = validateArgument(kind, arg.key, arg.value.value);
      cache.set(arg, errors);
    }
    return errors;
  }

  /** `text` as a quoted scalar: single quotes in YAML, double quotes in a JSON policy (so a quick fix keeps it valid). */
  quote(text: string): string {
    const json = this.cached('isJson', () => this.ast.text.trimStart().startsWith('{'));
    return json ? JSON.stringify(text) : `'${text.replace(/'/g, "''")}'`;
  }

  /** A replacement for the text at `range` that keeps its quotes, if it is quoted (`"serch"` → `"search"`). */
  sameQuotes(range: Range, replacement: string): string {
    const first = this.ast.text[range.start.offset];
    if (first === '"') return JSON.stringify(replacement);
    if (first === "'") return `'${replacement.replace(/'/g, "''")}'`;
    return replacement;
  }

  /** A range inside a string scalar: exact when the scalar is written without escapes, else the whole value. */
  rangeInside(value: ValueNode, start: number, end: number): Range {
    return fragmentRange(this.ast, value, start, end);
  }

  /** Reports a problem a grammar found inside a string value: at its place in the file, with the grammar's help. */
  reportInside(value: ValueNode, error: FragmentError, message: string): void {
    this.report({ node: this.rangeInside(value, error.start, error.end), message, ...(error.help ? { help: error.help } : {}) });
  }
}

export function rangeOf(node: Reportable): Range {
  return 'range' in node ? node.range : node;
}
