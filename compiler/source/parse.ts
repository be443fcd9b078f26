/**
 * Parses keyserver.yml text into the typed AST, keeping every node's source range.
 * YAML problems and shapes that prevent building the AST become diagnostics, never exceptions.
 * Reading is bounded (limits.ts): nesting, merge depth, values and alias expansion are counted
 * while the AST is built, and the first limit reached ends the parse with one diagnostic there.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Alias, Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { LineIndex } from '../diagnostics.js';
import type { Diagnostic, Range } from '../diagnostics.js';
import type {
  ArgumentNode,
  ParseResult,
  PlainValue,
  PolicyAst,
  RequestTypeNode,
  RuleNode,
  RuleSetNode,
  ValueNode,
} from './ast.js';
import { PARSE_CODES } from './parse-codes.js';
import { isMergeKey, keyName, toPlain } from './plain.js';
import type { PlainReader } from './plain.js';
import { Budget, checkMergeDepth, checkNesting, LimitExceeded, limitMessage } from './limits.js';
import type { BudgetCounts } from './limits.js';
import { aliasTargets, readYaml, repeatedKeys } from './read-yaml.js';

/** Policies are small; a limit gives a clear message instead of minutes of parsing. */
export const MAX_SOURCE_LENGTH = 16 * 1024 * 1024;

type Report = (code: keyof typeof PARSE_CODES, range: Range, message: string, help?: string) => void;

export function parsePolicy(text: string, file = 'keyserver.yml'): ParseResult {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const report: Report = (code, range, message, help) => {
    const info = PARSE_CODES[code];
    diagnostics.push({ code: info.code, severity: 'error', message, range, ...(help ? { help } : {}) });
  };
  const whole = lines.range(0, 0);

  if (text.length > MAX_SOURCE_LENGTH) {
    report('tooLarge', whole, `file is too large to be a policy (${text.length} characters, limit ${MAX_SOURCE_LENGTH})`,
      'a keyserver.yml is a few thousand lines at most; check that this is the right file');
    return { ast: null, diagnostics };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    report('notText', lines.range(nul, nul + 1), 'file is not text (it contains a NUL byte)',
      'a policy is a YAML or JSON text file; check that this is the right file');
    return { ast: null, diagnostics };
  }

  let read: ReturnType<typeof readYaml>;
  try {
    read = readYaml(text, lines);
  } catch (error) {
    // The nesting limit is checked before the yaml package recurses; this is the last line of defence.
    if (!(error instanceof RangeError)) throw error;
    report('tooComplex', whole, 'cannot read YAML: the document is nested too deeply');
    return { ast: null, diagnostics };
  }
  for (const problem of read.problems) report(problem.code, lines.range(problem.start, problem.end), problem.message, problem.help);
  if (read.problems.length > 0 || !read.document) return { ast: null, diagnostics };

  const built = buildPolicy(read.document, lines);
  diagnostics.push(...built.diagnostics);
  if (!built.requestTypes) return { ast: null, diagnostics: built.diagnostics };
  // A repeated key is a YAML error: the file is not read further, as for any other.
  if (built.repeatedKeys) return { ast: null, diagnostics: diagnostics.filter((d) => d.code === PARSE_CODES.duplicateKey.code) };
  const ast: PolicyAst = { file, text, lines, requestTypes: built.requestTypes, document: read.document };
  return { ast, diagnostics };
}

export interface BuiltPolicy {
  /** Null when a reading limit was reached (the one diagnostic says where). */
  requestTypes: RequestTypeNode[] | null;
  /** The shape problems found while building, and repeated keys. */
  diagnostics: Diagnostic[];
  /** A mapping repeats a key: a YAML error, so the caller reads no further. */
  repeatedKeys: boolean;
  /** The values made, for the limits of a whole policy built in parts (compiler/sections/). */
  counted: BudgetCounts;
}

/**
 * The AST of a composed Document. `base` is where the Document's text starts in `lines.text`: the
 * language server reads each top-level section of a policy on its own (compiler/sections/), and
 * its nodes' ranges are then relative to the section; every range of the AST is of the whole text.
 */
export function buildPolicy(document: Document.Parsed, lines: LineIndex, base = 0): BuiltPolicy {
  const diagnostics: Diagnostic[] = [];
  const report: Report = (code, range, message, help) => {
    diagnostics.push({ code: PARSE_CODES[code].code, severity: 'error', message, range, ...(help ? { help } : {}) });
  };
  const builder = new AstBuilder(document, lines, report, base);
  try {
    const requestTypes = builder.policy(document.contents, lines.range(0, 0));
    return { requestTypes, diagnostics, repeatedKeys: builder.repeatedKeys, counted: builder.counted() };
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
    const { message, help } = limitMessage(error.limit);
    const at = error.offset + base;
    report(error.limit === 'aliasExpansion' ? 'aliasProblem' : 'tooComplex', lines.range(at, at + 1), message, help);
    return { requestTypes: null, diagnostics: diagnostics.slice(-1), repeatedKeys: false, counted: builder.counted() };
  }
}

/** Nesting of an argument's value: top-level mapping, rule tree, rule set, rule, then the value. */
const ARGUMENT_DEPTH = 5;

class AstBuilder {
  private readonly budget = new Budget();
  private readonly reader: PlainReader = {
    resolve: (n) => this.resolve(n),
    count: (offset, expanded) => this.budget.count(offset, expanded),
    mapping: (map) => this.uniqueKeys(map),
  };
  /** Found on the first alias: most policies have none. */
  private aliases: Map<Alias, YamlNode> | null = null;
  /** Mappings whose keys were checked (a merge source or an alias target is read more than once). */
  private readonly checked = new WeakSet<YAMLMap>();
  repeatedKeys = false;

  constructor(
    private readonly document: Document.Parsed,
    private readonly lines: LineIndex,
    private readonly report: Report,
    /** Added to every offset of the Document's nodes (see buildPolicy). */
    private readonly base: number,
  ) {}

  counted(): BudgetCounts {
    return this.budget.counted();
  }

  /** Reports the keys of `map` that repeat an earlier one (duplicate keys are a YAML error), once per mapping. */
  private uniqueKeys(map: YAMLMap): void {
    if (this.checked.has(map)) return;
    this.checked.add(map);
    for (const problem of repeatedKeys(map, this.lines, this.base)) {
      this.repeatedKeys = true;
      this.report(problem.code, this.lines.range(problem.start + this.base, problem.end + this.base), problem.message, problem.help);
    }
  }

  policy(contents: YamlNode | null, whole: Range): RequestTypeNode[] {
    const top = this.resolve(contents);
    if (top === null || (isScalar(top) && top.value === null)) {
      this.report('notMapping', whole, 'the policy is empty',
        'write a mapping from request type to rule sets, e.g. `decrypt:` followed by a list of rule sets');
      return [];
    }
    if (!isMap(top)) {
      this.report('notMapping', this.rangeOf(top), 'the policy must be a mapping from request type to rule sets',
        'start with a request type such as `decrypt:` at the beginning of a line');
      return [];
    }
    this.uniqueKeys(top);
    const result: RequestTypeNode[] = [];
    for (const pair of top.items) {
      const key = this.keyOf(pair);
      const valueNode = this.resolve(pair.value as YamlNode | null);
      const range = this.pairRange(pair);
      const valueRange = pair.value ? this.rangeOf(pair.value as YamlNode) : key.range;
      const node: RequestTypeNode = { name: key.name, nameRange: key.range, range, valueRange, ruleSets: [] };
      result.push(node);
      if (!isSeq(valueNode)) {
        this.report('ruleTreeNotList', valueRange, `the rule tree of \`${key.name}\` must be a list of rule sets`,
          'each rule set is itself a list of rules, e.g. `- - rule: approve-rule`');
        continue;
      }
      const expanded = isAlias(pair.value);
      valueNode.items.forEach((item, index) => {
        const ruleSet = this.ruleSet(item as YamlNode, index, expanded);
        if (ruleSet) node.ruleSets.push(ruleSet);
      });
    }
    return result;
  }

  /** An item of the structure (a rule set, a rule): resolved, located and counted. */
  private enter(item: YamlNode, expanding: boolean): { node: YamlNode | null; range: Range; expanded: boolean } {
    const range = this.rangeOf(item);
    const expanded = expanding || isAlias(item);
    this.budget.count(range.start.offset, expanded);
    return { node: this.resolve(item), range, expanded };
  }

  private ruleSet(item: YamlNode, index: number, expanding: boolean): RuleSetNode | null {
    const { node, range, expanded } = this.enter(item, expanding);
    if (!isSeq(node)) {
      this.report('ruleSetNotList', range, `rule set ${index} must be a list of rules`,
        'a rule set is a list: write `- - rule: ...` for its first rule and `  - rule: ...` for the next ones');
      return null;
    }
    const rules: RuleNode[] = [];
    node.items.forEach((ruleItem, ruleIndex) => {
      const rule = this.rule(ruleItem as YamlNode, ruleIndex, expanded);
      if (rule) rules.push(rule);
    });
    return { index, range, rules };
  }

  private rule(item: YamlNode, index: number, expanding: boolean): RuleNode | null {
    const { node, range, expanded } = this.enter(item, expanding);
    if (!isMap(node)) {
      this.report('ruleNotMapping', range, 'a rule must be a mapping with a `rule` key',
        'write e.g. `rule: meta-rule` followed by the rule\'s arguments');
      return null;
    }
    this.uniqueKeys(node);
    const entries = this.mapEntries(node.items as Pair[], expanded, 0);
    const value: { [key: string]: PlainValue } = {};
    for (const entry of entries) value[entry.key] = entry.value.value;
    const kindNode = entries.find((e) => e.key === 'rule') ?? null;
    const ruleId = entries.find((e) => e.key === 'rule_id') ?? null;
    const kind = kindNode && typeof kindNode.value.value === 'string' ? kindNode.value.value : null;
    const args = entries.filter((e) => e.key !== 'rule' && e.key !== 'rule_id');
    return { index, range, kind, kindNode, ruleId, args, value };
  }

  /** The entries of a mapping, with `<<` merge keys expanded the way YAML 1.1 readers (the reference) do. */
  private mapEntries(pairs: Pair[], expanded: boolean, mergeDepth: number): ArgumentNode[] {
    const own: ArgumentNode[] = [];
    const merged: ArgumentNode[] = [];
    for (const pair of pairs) {
      const key = this.keyOf(pair, expanded);
      if (isMergeKey(pair.key)) {
        checkMergeDepth(mergeDepth + 1, key.range.start.offset);
        for (const source of this.mergeSources(pair)) {
          this.uniqueKeys(source);
          // A merge makes new entries from its source: they count as expanded, like an alias's.
          for (const entry of this.mapEntries(source.items as Pair[], true, mergeDepth + 1)) {
            // The merge site is where the value comes from, as far as the author can see.
            merged.push({ ...entry, keyRange: key.range, range: this.pairRange(pair) });
          }
        }
        continue;
      }
      const value = this.value(pair.value as YamlNode | null, key.range, ARGUMENT_DEPTH, expanded);
      own.push({ key: key.name, keyRange: key.range, value, range: this.pairRange(pair) });
    }
    const seen = new Set(own.map((e) => e.key));
    for (const entry of merged) {
      if (seen.has(entry.key)) continue;
      seen.add(entry.key);
      own.push(entry);
    }
    return own;
  }

  private mergeSources(pair: Pair): YAMLMap[] {
    const value = this.resolve(pair.value as YamlNode | null);
    const candidates = isSeq(value) ? value.items.map((i) => this.resolve(i as YamlNode)) : [value];
    return candidates.filter((c): c is YAMLMap => isMap(c));
  }

  private value(node: YamlNode | null, fallback: Range, depth: number, expanding: boolean): ValueNode {
    const range = node ? this.rangeOf(node) : fallback;
    const target = this.resolve(node);
    const expanded = expanding || isAlias(node);
    if (isSeq(target)) {
      this.budget.count(range.start.offset, expanded);
      checkNesting(depth, range.start.offset);
      // The sequence's value is its items' values: convert each item once.
      const items = target.items.map((item) => this.value(item as YamlNode, range, depth + 1, expanded));
      return { value: items.map((item) => item.value), range, node: target, items };
    }
    const result: ValueNode = { value: toPlain(target, this.reader, depth, expanded), range, node: target };
    if (isScalar(target) && target.range) {
      result.sourceStart = target.range[0] + this.base;
      result.sourceText = this.lines.text.slice(result.sourceStart, target.range[1] + this.base);
      result.plain = target.type === 'PLAIN';
    }
    return result;
  }

  private keyOf(pair: Pair, expanded = false): { name: string; range: Range } {
    const key = pair.key as YamlNode | null;
    const resolved = this.resolve(key);
    const name = isScalar(resolved) ? keyName(resolved) : String(toPlain(resolved, this.reader, ARGUMENT_DEPTH, expanded || isAlias(key)));
    const range = key ? this.rangeOf(key) : this.lines.range(this.base, this.base);
    return { name, range };
  }

  /** The node an alias stands for (an anchor is never on an alias, so one step suffices). */
  private resolve(node: YamlNode | null | undefined): YamlNode | null {
    if (node === null || node === undefined) return null;
    if (!isAlias(node)) return node;
    this.aliases ??= aliasTargets(this.document);
    return this.aliases.get(node) ?? null;
  }

  private rangeOf(node: YamlNode): Range {
    const r = node.range;
    if (!r) return this.lines.range(this.base, this.base);
    return this.lines.range(r[0] + this.base, r[1] + this.base);
  }

  private pairRange(pair: Pair): Range {
    const key = pair.key as YamlNode | null;
    const value = pair.value as YamlNode | null;
    const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
    const end = value?.range?.[1] ?? key?.range?.[1] ?? start;
    return this.lines.range(start + this.base, end + this.base);
  }
}


