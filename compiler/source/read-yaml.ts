/**
 * Text to a yaml Document, the way every reader of a policy reads it (the parser and `kss fmt`):
 * YAML 1.2 core schema, `<<` merge keys as YAML 1.1 readers (the reference) apply them, nesting
 * checked on the token tree before the yaml package composes it recursively, and duplicate keys
 * found here in linear time (the package's own check compares every key with every other: a rule
 * with 50,000 keys took 40 s).
 */
import { Composer, isAlias, isMap, isNode, isScalar, isSeq, Lexer, Parser } from 'yaml';
import { CST } from 'yaml';
import type { Alias, Document, Node as YamlNode, Pair } from 'yaml';
import type { LineIndex } from '../diagnostics.js';
import { LIMITS, limitMessage, tooDeep } from './limits.js';
import { isMergeKey } from './plain.js';
import { yamlErrorCode } from './parse-codes.js';
import type { PARSE_CODES } from './parse-codes.js';

export const YAML_OPTIONS = { uniqueKeys: false, merge: true, prettyErrors: false } as const;

/** First characters of lexemes that are values: quoted scalars, aliases, block scalars, flow collections. */
const VALUE_STARTS = new Set(["'", '"', '*', '|', '>', '[', '{']);

export interface YamlProblem {
  code: keyof typeof PARSE_CODES;
  start: number;
  end: number;
  message: string;
  help?: string;
}

export interface ReadYaml {
  /** Null when the text could not be composed (too deep); else the document, errors or not. */
  document: Document.Parsed | null;
  /** YAML errors, the nesting limit, duplicate keys: any of them means the document is not read. */
  problems: YamlProblem[];
  /**
   * The node each alias stands for (the latest node before it with that anchor). The package's
   * `Alias.resolve` searches the whole document each time: 5,000 aliases of one anchor took minutes.
   */
  aliases: Map<Alias, YamlNode>;
}

export function readYaml(text: string, lines: LineIndex): ReadYaml {
  let stopped: { limit: 'nesting' | 'nodes'; at: number } | null = null;
  /**
   * The parser's tokens, stopped at the first collection nested too deep or the first value over
   * the limit, before the yaml package composes them. The parser's work per token grows with the
   * nesting (200,000 `[` took 2 s), so its stack (the document, the open collections and at most one
   * scalar) is watched as it goes; the token tree is then measured exactly. Values are counted on the
   * lexemes (composing a million of them would take seconds before the AST builder could count).
   */
  function* guarded(): Generator<CST.Token> {
    const parser = new Parser();
    let values = 0;
    let plainScalarText = false;
    for (const lexeme of new Lexer().lex(text)) {
      if (plainScalarText) plainScalarText = false; // counted at its marker
      else if (lexeme === CST.SCALAR) {
        plainScalarText = true;
        values++;
      } else if (VALUE_STARTS.has(lexeme.charAt(0))) values++;
      if (values > LIMITS.nodes) stopped = { limit: 'nodes', at: parser.offset };
      else yield* measured(parser.next(lexeme));
      if (!stopped && parser.stack.length > LIMITS.nesting + 2) stopped = { limit: 'nesting', at: parser.offset };
      if (stopped) return;
    }
    yield* measured(parser.end());
  }
  /** The tokens, but not a document nested deeper than the limit. */
  function* measured(tokens: Generator<CST.Token>): Generator<CST.Token> {
    for (const token of tokens) {
      const deep = token.type === 'document' ? tooDeep(token) : null;
      if (deep !== null) {
        stopped = { limit: 'nesting', at: deep };
        return;
      }
      yield token;
    }
  }
  const composer = new Composer(YAML_OPTIONS);
  let document: Document.Parsed | null = null;
  let more = false;
  for (const doc of composer.compose(guarded(), true, text.length)) {
    if (document) {
      more = true;
      break;
    }
    document = doc as Document.Parsed;
  }
  if (stopped) {
    const { limit, at } = stopped as { limit: 'nesting' | 'nodes'; at: number };
    return { document: null, problems: [{ code: 'tooComplex', start: at, end: at + 1, ...limitMessage(limit) }], aliases: new Map() };
  }
  const problems: YamlProblem[] = document!.errors.map((error) => ({
    code: yamlErrorCode(error.code),
    start: error.pos[0],
    end: Math.max(error.pos[1], error.pos[0] + 1),
    message: lowerFirst(error.message.split('\n')[0]!.replace(/\.$/, '')),
  }));
  if (more) problems.push({ code: 'yamlSyntax', start: 0, end: 1, message: 'the file holds more than one YAML document', help: 'a policy is one document: remove the `---` lines after the first' });
  const aliases = new Map<Alias, YamlNode>();
  if (problems.length === 0) problems.push(...walk(document!, lines, aliases));
  return { document, problems, aliases };
}

/**
 * One walk over the document in order (a node's anchor comes before its content, a key before its
 * value): records each alias's node in `aliases`, and returns every key that repeats an earlier key
 * of its mapping (scalars equal in type and value; `<<` may repeat).
 */
function walk(document: Document.Parsed, lines: LineIndex, aliases: Map<Alias, YamlNode>): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const anchors = new Map<string, YamlNode>();
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) aliases.set(node, target);
      continue;
    }
    if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
      continue;
    }
    if (!isMap(node)) continue;
    const seen = new Map<string, YamlNode>();
    const pairs = node.items as Pair[];
    for (let i = pairs.length - 1; i >= 0; i--) stack.push(pairs[i]!.value, pairs[i]!.key);
    for (const pair of pairs) {
      const key = pair.key as YamlNode | null;
      if (!isScalar(key) || isMergeKey(key) || !key.range) continue;
      const identity = `${typeof key.value}\u0000${String(key.value)}`;
      const first = seen.get(identity);
      if (!first) {
        seen.set(identity, key);
        continue;
      }
      const line = lines.position(first.range![0]).line;
      problems.push({
        code: 'duplicateKey',
        start: key.range[0],
        end: Math.max(key.range[1], key.range[0] + 1),
        message: `duplicate key \`${String(key.value)}\`: the first is on line ${line}`,
        help: 'YAML forbids a key twice in one mapping, and some readers silently keep only the last; merge the two entries or rename one',
      });
    }
  }
  return problems;
}

function lowerFirst(message: string): string {
  return message.length > 1 && /^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message;
}

