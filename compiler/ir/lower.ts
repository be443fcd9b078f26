/**
 * Lowers a checked AST to the IR: rule ids assigned (SPEC §5), arguments read by the checker's own
 * readers (compiler/arguments/read.ts, defaults from the schemas) and fragments taken from the
 * analysis's `Fragments`, so lowering only maps what the checker has already read.
 *
 * A policy that passed the checker lowers without a diagnostic. Lowering is also run on unchecked
 * ASTs (the editor's normalised view of a broken file); there anything the checker would refuse
 * becomes one `KSS2900` diagnostic and the IR reads on with defaults. It never throws.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { PolicyAst, RuleNode, ValueNode } from '../source/ast.js';
import { Fragments, fragmentRange } from '../arguments/fragments.js';
import { readBoolean, readInteger, readIntegers, readProfileId, readString, readStrings } from '../arguments/read.js';
import { validateArgument } from '../arguments/validate.js';
import type { FragmentResult } from '../grammars/result.js';
import { isRequestType, isRuleKind } from '../schemas.js';
import { LOWER_CODES } from './lower-codes.js';
import { assignRuleIds } from './rule-ids.js';
import type { MetaPatternIR, PolicyIR, RuleIR, RuleKind, TimeOfDayIR } from './types.js';

export interface LowerResult {
  ir: PolicyIR;
  diagnostics: Diagnostic[];
}

export interface LowerOptions {
  /** The analysis's fragments (what the checker read); a fresh cache when not given. */
  fragments?: Fragments;
}

/** A rule's IR without its id (distributed over the kinds). */
type RuleArguments<R = RuleIR> = R extends RuleIR ? Omit<R, 'ruleId' | 'explicitId'> : never;

/** The reference's "no limit" for a throttle (`INFINITE = -1`). */
const UNLIMITED = -1;

export function lowerPolicy(ast: PolicyAst, options: LowerOptions = {}): LowerResult {
  const lowering = new Lowering(ast, options.fragments ?? new Fragments());
  const ids = new Map(assignRuleIds(ast).map((a) => [a.node, a]));
  const ir: PolicyIR = { requestTypes: [] };
  for (const type of ast.requestTypes) {
    if (!isRequestType(type.name)) {
      lowering.unchecked(type.nameRange, `unknown request type \`${type.name}\``);
      continue;
    }
    const ruleSets = type.ruleSets.map((set) => {
      const rules: RuleIR[] = [];
      for (const node of set.rules) {
        const assigned = ids.get(node)!;
        const rule = lowering.rule(node, { ruleId: assigned.ruleId, explicitId: assigned.explicit });
        if (rule) rules.push(rule);
      }
      return { index: set.index, rules };
    });
    ir.requestTypes.push({ type: type.name, ruleSets });
  }
  return { ir, diagnostics: lowering.diagnostics };
}

class Lowering {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly ast: PolicyAst, private readonly fragments: Fragments) {}

  unchecked(node: { range: ValueNode['range'] } | ValueNode['range'], message: string, help = 'run `kss check` on the policy: it says what is wrong and where'): void {
    const range = 'range' in node ? node.range : node;
    this.diagnostics.push({ code: LOWER_CODES.notCompilable.code, severity: 'error', message: `cannot compile: ${message}`, range, help });
  }

  rule(node: RuleNode, base: { ruleId: string; explicitId: boolean }): RuleIR | null {
    const kind = node.kind !== null && isRuleKind(node.kind) ? node.kind : null;
    if (!kind) {
      this.unchecked(node.kindNode?.value.range ?? node.range, `unknown rule \`${String(node.kind ?? node.value.rule)}\``);
      return null;
    }
    for (const arg of node.args) {
      if (validateArgument(kind, arg.key, arg.value.value).length > 0) this.unchecked(arg.value, `\`${arg.key}\` has a value \`${kind}\` cannot take`);
    }
    return { ...base, ...this.arguments(kind, node) } as RuleIR;
  }

  private arguments(kind: RuleKind, node: RuleNode): RuleArguments {
    switch (kind) {
      case 'approve-rule':
      case 'reject-rule':
        return { kind };
      case 'session-params-rule':
        return {
          kind,
          // 0 (the default) means no maximum.
          maxRequestCount: readInteger(node, 'max_request_count') || null,
          maxTimeSeconds: readInteger(node, 'max_time_seconds')!,
          endByTime: this.time(node, 'end_by_time'),
        };
      case 'profile-id-rule':
        return { kind, ...this.profileIds(node) };
      case 'time-range-rule':
        return {
          kind,
          start: this.time(node, 'time_start'),
          end: this.time(node, 'time_end'),
          days: readIntegers(node, 'days'),
          include: this.dates(node, 'include'),
          exclude: this.dates(node, 'exclude'),
        };
      case 'meta-rule': {
        const caseSensitive = readBoolean(node, 'case_sensitive');
        return {
          kind,
          patterns: [...this.patterns(node, 'regex', caseSensitive), ...this.patterns(node, 'path', caseSensitive)],
          caseSensitive,
          requireComplete: readBoolean(node, 'require_complete'),
        };
      }
      case 'per-profile-throttle-rule':
        return { kind, perHour: limit(readInteger(node, 'per_hour')), perDay: limit(readInteger(node, 'per_day')), persistent: readBoolean(node, 'persistent') };
    }
  }

  /** The fragment's value, or null with a diagnostic for each of its errors. */
  private fragment<T>(value: ValueNode, result: FragmentResult<T>): T | null {
    for (const e of result.errors) this.unchecked(fragmentRange(this.ast, value, e.start, e.end), e.message, e.help);
    return result.errors.length > 0 ? null : result.value;
  }

  private time(node: RuleNode, key: string): TimeOfDayIR | null {
    const item = readString(node, key);
    return item ? this.fragment(item.value, this.fragments.time(item.text)) : null;
  }

  private dates(node: RuleNode, key: string): string[] {
    const out: string[] = [];
    for (const { value, text } of readStrings(node, key)) {
      const date = this.fragment(value, this.fragments.date(text));
      if (date !== null) out.push(date);
    }
    return out;
  }

  private patterns(node: RuleNode, kind: 'path' | 'regex', caseSensitive: boolean): MetaPatternIR[] {
    const out: MetaPatternIR[] = [];
    for (const { value, text } of readStrings(node, kind === 'path' ? 'paths' : 'regexes')) {
      const pattern = this.fragment(value, this.fragments.pattern(kind, text, caseSensitive));
      if (pattern) out.push(pattern);
    }
    return out;
  }

  private profileIds(node: RuleNode): { hexIds: string[]; wordLists: string[][] } {
    const hexIds: string[] = [];
    const wordLists: string[][] = [];
    for (const { value, text } of readStrings(node, 'profile_ids')) {
      const entry = readProfileId(text);
      if (entry.kind === 'hex') hexIds.push(entry.id);
      else if (entry.kind === 'words') wordLists.push(entry.words);
      else this.unchecked(value, `\`${text}\` is not a profile id the reference can read`);
    }
    return { hexIds, wordLists };
  }
}

/** A throttle limit in the IR: null for unlimited (`-1`, the default). */
function limit(value: number | null): number | null {
  return value === null || value === UNLIMITED ? null : value;
}
