/**
 * Lowers a (checked) AST to the IR: rule ids assigned (SPEC §5), times, dates, patterns and regexes
 * parsed by the grammars. Never throws: anything it cannot lower becomes an error diagnostic.
 */
import type { Diagnostic, Range } from '../diagnostics.js';
import type { ArgumentNode, PolicyAst, RuleNode, ValueNode } from '../source/ast.js';
import { parseDate } from '../grammars/date.js';
import { translatePathPattern } from '../grammars/path-pattern.js';
import { translatePythonRegex } from '../grammars/python-regex.js';
import { parseTimeOfDay } from '../grammars/time.js';
import { LOWER_CODES } from './lower-codes.js';
import { assignRuleIds } from './rule-ids.js';
import { REQUEST_TYPES } from './types.js';
import type { MetaPatternIR, PolicyIR, RequestType, RuleIR, RuleKind, TimeOfDayIR } from './types.js';

interface Fragment<T> {
  value: T | null;
  errors: Array<{ message: string; start: number; end: number; help?: string }>;
  warnings: Array<{ message: string; start: number; end: number; help?: string }>;
}

export interface LowerResult {
  ir: PolicyIR;
  diagnostics: Diagnostic[];
}

export function lowerPolicy(ast: PolicyAst): LowerResult {
  const diagnostics: Diagnostic[] = [];
  const ids = new Map(assignRuleIds(ast).map((a) => [a.node, a]));
  const memo: Memo = new Map();
  const ir: PolicyIR = { requestTypes: [] };
  for (const type of ast.requestTypes) {
    if (!(REQUEST_TYPES as readonly string[]).includes(type.name)) {
      diagnostics.push(error('unknownRequestType', type.nameRange, `unknown request type \`${type.name}\``,
        `use one of ${REQUEST_TYPES.map((t) => `\`${t}\``).join(', ')}`));
      continue;
    }
    const ruleSets = type.ruleSets.map((set) => {
      const rules: RuleIR[] = [];
      for (const node of set.rules) {
        const assigned = ids.get(node)!;
        const rule = new RuleLowerer(ast, node, assigned.ruleId, assigned.explicit, diagnostics, memo).lower();
        if (rule) rules.push(rule);
      }
      return { index: set.index, rules };
    });
    ir.requestTypes.push({ type: type.name as RequestType, ruleSets });
  }
  return { ir, diagnostics };
}

function error(code: keyof typeof LOWER_CODES, range: Range, message: string, help?: string): Diagnostic {
  return { code: LOWER_CODES[code].code, severity: 'error', message, range, ...(help ? { help } : {}) };
}

/** Translations by (kind, text, case): policies repeat patterns, and translating one takes about a millisecond. */
type Memo = Map<string, Fragment<unknown>>;

class RuleLowerer {
  constructor(
    private readonly ast: PolicyAst,
    private readonly node: RuleNode,
    private readonly ruleId: string,
    private readonly explicitId: boolean,
    private readonly diagnostics: Diagnostic[],
    private readonly memo: Memo,
  ) {}

  private translate<T>(kind: string, text: string, caseSensitive: boolean, run: () => Fragment<T>): Fragment<T> {
    const key = `${kind}\u0000${caseSensitive ? 1 : 0}\u0000${text}`;
    let result = this.memo.get(key) as Fragment<T> | undefined;
    if (!result) this.memo.set(key, (result = run()));
    return result;
  }

  lower(): RuleIR | null {
    const base = { ruleId: this.ruleId, explicitId: this.explicitId };
    switch (this.node.kind as RuleKind | null) {
      case 'approve-rule':
      case 'reject-rule':
        return { ...base, kind: this.node.kind as 'approve-rule' | 'reject-rule' };
      case 'session-params-rule':
        return {
          ...base,
          kind: 'session-params-rule',
          maxRequestCount: this.int('max_request_count', null) || null,
          maxTimeSeconds: this.int('max_time_seconds', 300) ?? 300,
          endByTime: this.time('end_by_time'),
        };
      case 'profile-id-rule':
        return { ...base, kind: 'profile-id-rule', ...this.profileIds() };
      case 'time-range-rule':
        return {
          ...base,
          kind: 'time-range-rule',
          start: this.time('time_start'),
          end: this.time('time_end'),
          days: this.arg('days') ? this.intList('days') : [0, 1, 2, 3, 4, 5, 6],
          include: this.dates('include'),
          exclude: this.dates('exclude'),
        };
      case 'meta-rule': {
        const caseSensitive = this.bool('case_sensitive', false);
        return {
          ...base,
          kind: 'meta-rule',
          patterns: [...this.patterns('regexes', caseSensitive), ...this.patterns('paths', caseSensitive)],
          caseSensitive,
          requireComplete: this.bool('require_complete', false),
        };
      }
      case 'per-profile-throttle-rule':
        return {
          ...base,
          kind: 'per-profile-throttle-rule',
          perHour: this.int('per_hour', null),
          perDay: this.int('per_day', null),
          persistent: this.bool('persistent', false),
        };
      default:
        this.diagnostics.push(error('unknownRule', this.node.kindNode?.value.range ?? this.node.range,
          `unknown rule \`${String(this.node.kind ?? this.node.value.rule)}\``));
        return null;
    }
  }

  private arg(key: string): ArgumentNode | undefined {
    return this.node.args.find((a) => a.key === key);
  }

  private bad(v: ValueNode, message: string): void {
    this.diagnostics.push(error('badArgument', v.range, message));
  }

  private int(key: string, fallback: number | null): number | null {
    const a = this.arg(key);
    if (!a || a.value.value === null) return fallback;
    if (typeof a.value.value !== 'number' || !Number.isInteger(a.value.value)) {
      this.bad(a.value, `\`${key}\` must be an integer`);
      return fallback;
    }
    return a.value.value;
  }

  private bool(key: string, fallback: boolean): boolean {
    const a = this.arg(key);
    if (!a || a.value.value === null) return fallback;
    if (typeof a.value.value !== 'boolean') {
      this.bad(a.value, `\`${key}\` must be true or false`);
      return fallback;
    }
    return a.value.value;
  }

  private list(key: string): ValueNode[] {
    const a = this.arg(key);
    if (!a || a.value.value === null) return [];
    if (!a.value.items) {
      this.bad(a.value, `\`${key}\` must be a list`);
      return [];
    }
    return a.value.items;
  }

  private intList(key: string): number[] {
    const out: number[] = [];
    for (const item of this.list(key)) {
      if (typeof item.value === 'number' && Number.isInteger(item.value)) out.push(item.value);
      else this.bad(item, `\`${key}\` entries must be integers`);
    }
    return out;
  }

  private text(item: ValueNode, key: string): string | null {
    if (typeof item.value === 'string') return item.value;
    if (typeof item.value === 'number') return item.sourceText ?? String(item.value);
    this.bad(item, `\`${key}\` entries must be text`);
    return null;
  }

  private fragment<T>(v: ValueNode, result: Fragment<T>): T | null {
    // Fragment offsets are within the scalar's value; a quoted scalar starts one character later.
    const quoted = v.sourceText !== undefined && /^['"]/.test(v.sourceText) ? 1 : 0;
    const base = v.range.start.offset + quoted;
    for (const e of result.errors) {
      this.diagnostics.push({
        code: LOWER_CODES.fragment.code,
        severity: 'error',
        message: e.message,
        range: this.ast.lines.range(base + e.start, base + Math.max(e.end, e.start + 1)),
        ...(e.help ? { help: e.help } : {}),
      });
    }
    return result.errors.length > 0 ? null : result.value;
  }

  private time(key: string): TimeOfDayIR | null {
    const a = this.arg(key);
    if (!a || a.value.value === null) return null;
    const text = this.text(a.value, key);
    return text === null ? null : this.fragment(a.value, this.translate('time', text, false, () => parseTimeOfDay(text)));
  }

  private dates(key: string): string[] {
    const out: string[] = [];
    for (const item of this.list(key)) {
      const text = this.text(item, key);
      const date = text === null ? null : this.fragment(item, this.translate('date', text, false, () => parseDate(text)));
      if (date !== null) out.push(date);
    }
    return out;
  }

  private patterns(key: 'paths' | 'regexes', caseSensitive: boolean): MetaPatternIR[] {
    const out: MetaPatternIR[] = [];
    for (const item of this.list(key)) {
      const text = this.text(item, key);
      if (text === null) continue;
      const result = this.translate(key, text, caseSensitive, () =>
        key === 'paths' ? translatePathPattern(text, caseSensitive) : translatePythonRegex(text, caseSensitive));
      const pattern = this.fragment(item, result);
      if (pattern) out.push(pattern);
    }
    return out;
  }

  private profileIds(): { hexIds: string[]; wordLists: string[][] } {
    const hexIds: string[] = [];
    const wordLists: string[][] = [];
    for (const item of this.list('profile_ids')) {
      const text = this.text(item, 'profile_ids');
      if (text === null) continue;
      // As the reference reads an entry: any space makes it a word list, split on single spaces
      // and each word stripped (so a double space yields an empty word that no profile has).
      if (text.includes(' ')) {
        const words = text.split(' ').map((w) => w.trim());
        if (words.length >= 4) wordLists.push(words);
        else this.bad(item, `\`${text}\` has ${words.length} profile words; a word list needs at least 4`);
      } else if (/^[0-9a-fA-F]+$/.test(text) && text.length % 2 === 0) {
        hexIds.push(text.toLowerCase());
      } else {
        this.bad(item, `\`${text}\` is neither a hex profile id nor a list of at least 4 profile words`);
      }
    }
    return { hexIds, wordLists };
  }
}
