import { isScalar } from 'yaml';
import type { ArgumentNode, PlainValue, ValueNode } from '../../source/ast.js';
import type { RuleKind } from '../../ir/types.js';
import { isRuleKind } from '../../schemas.js';
import type { Check } from '../registry.js';
import { resolveYaml11 } from '../yaml11.js';
import type { Yaml11Value } from '../yaml11.js';

export const yaml11Reading: Check = {
  id: 'yaml-1-1-reading',
  code: 'KSS3006',
  meta: {
    description: 'an unquoted value means something else to YAML 1.1 readers such as the reference\'s',
    defaultSeverity: 'warning',
    docs: {
      summary: 'kss reads YAML 1.2, but the reference reads policies as YAML 1.1, where an unquoted `17:00` or `9:00` is the base-60 integer 1020 or 540 (`07:15`, with a leading zero, stays a string), `yes`/`no`/`on`/`off` are booleans, `2022-06-01` is a date and `010` is octal 8. Quote such values (or tag them `!!str`) so that both read the same thing. The characters U+0085, U+2028 and U+2029 are line breaks in YAML 1.1: PyYAML folds them, so a value that holds one is a different string there (another rule id, another match); write them as escapes in double quotes.',
      example: '    time_start: 9:00        # 540 to a YAML 1.1 reader: write \'9:00\'',
    },
  },
  check(ctx) {
    // Most policies hold none of these characters: one scan of the text spares a search per value.
    const lineBreaks = YAML11_LINE_BREAK.test(ctx.ast.text);
    for (const { rule } of ctx.rules()) {
      const kind = rule.kind !== null && isRuleKind(rule.kind) ? rule.kind : null;
      if (rule.kindNode) visit(rule.kindNode.value, null, '');
      if (rule.ruleId) visit(rule.ruleId.value, null, '');
      for (const arg of rule.args) visit(arg.value, kind ? { kind, arg } : null, '');
    }

    /**
     * `path` is the value's place inside its argument (`/2` for the third item), to skip values that
     * argument-type already rejects (e.g. `case_sensitive: yes`): it reports them with this explanation.
     */
    function visit(node: ValueNode, owner: { kind: RuleKind; arg: ArgumentNode } | null, path: string): void {
      const items = node.items;
      if (items) {
        for (let i = 0; i < items.length; i++) visit(items[i]!, owner, `${path}/${i}`);
        return;
      }
      if (node.sourceText === undefined) return;
      const breakAt = lineBreaks ? node.sourceText.search(YAML11_LINE_BREAK) : -1;
      if (breakAt >= 0) reportLineBreak(node, breakAt);
      // `!!str 9:00` is a string to every reader: the tag decides, not the implicit resolvers.
      if (!node.plain || (isScalar(node.node) && node.node.tag === STR_TAG)) return;
      const problem = difference(node.sourceText, node.value, resolveYaml11(node.sourceText));
      if (!problem) return;
      if (owner && ctx.argumentErrors(owner.kind, owner.arg).some((e) => e.instancePath === path || e.instancePath === '')) return;
      const quoted = ctx.quote(node.sourceText);
      ctx.report({
        node,
        message: `unquoted \`${node.sourceText}\` is ${problem} to YAML 1.1 readers such as the reference's`,
        help: `quote it: \`${quoted}\``,
        data: { quoted },
      });
    }

    function reportLineBreak(node: ValueNode, index: number): void {
      const char = node.sourceText![index]!;
      const hex = char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      // sourceText is the scalar as written where it is written (the anchor, for an alias).
      const at = (node.sourceStart ?? node.range.start.offset) + index;
      ctx.report({
        node: ctx.ast.lines.range(at, at + 1),
        message: `U+${hex} in this value is a line break to YAML 1.1 readers such as the reference's, which read a different value (or cannot read the file)`,
        help: `write it as the escape \`\\u${hex.toLowerCase()}\` inside double quotes, or remove it: PyYAML folds it${char === '\u0085' ? ' into a space' : ' and drops the indentation after it'}, which changes the rule id and what the rule matches`,
      });
    }
  },
};

/** Line breaks in YAML 1.1 (and PyYAML) but ordinary characters in YAML 1.2: NEL, LINE and PARAGRAPH SEPARATOR. */
const YAML11_LINE_BREAK = /[\u0085\u2028\u2029]/;
const STR_TAG = 'tag:yaml.org,2002:str';

function difference(text: string, value: PlainValue, reading: Yaml11Value): string | null {
  switch (reading.kind) {
    case 'bool':
      return value === reading.value ? null : `the boolean ${String(reading.value)}`;
    case 'int':
      if (value === reading.value) return null;
      if (reading.sexagesimal) return `the base-60 number ${reading.value}`;
      if (reading.octal) return `the octal number ${reading.value}`;
      return `the number ${reading.value}`;
    case 'float':
      if (typeof value === 'number' && (value === reading.value || (Number.isNaN(value) && Number.isNaN(reading.value)))) return null;
      return `the number ${reading.value}`;
    case 'null':
      return value === null ? null : 'empty (null)';
    case 'timestamp':
      return 'a date (not a string)';
    case 'str':
      return typeof value === 'string' ? null : `the string \`${text}\``;
  }
}
