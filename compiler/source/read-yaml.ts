/**
 * Text to a yaml Document, the way every reader of a policy reads it (the parser and `kss fmt`):
 * YAML 1.2 core schema, `<<` merge keys as YAML 1.1 readers (the reference) apply them, nesting
 * and values bounded before the yaml package composes (recursively), and duplicate keys and alias
 * targets found here in linear time where the package's own ways are quadratic.
 */
import { Composer, CST, isAlias, isMap, isNode, isPair, isScalar, isSeq, Lexer, Parser } from 'yaml';
import type { Alias, Document, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import type { LineIndex } from '../diagnostics.js';
import { LIMITS, limitMessage } from './limits.js';
import { isMergeKey } from './plain.js';
import { yamlErrorCode } from './parse-codes.js';
import type { PARSE_CODES } from './parse-codes.js';

export const YAML_OPTIONS = { uniqueKeys: false, merge: true, prettyErrors: false } as const;

/** First characters of lexemes that are values (quoted scalars, aliases, block scalars, flow collections), by char code. */
const VALUE_START = new Uint8Array(128);
for (const c of "'\"*|>[{") VALUE_START[c.charCodeAt(0)] = 1;
const STAR = '*'.charCodeAt(0);

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
  /** YAML errors, the limits of the parser stage: any of them means the document is not read. */
  problems: YamlProblem[];
  /** The values written (counted against LIMITS.nodes as the text is read). */
  values: number;
  /**
   * Lexemes that start with `*`, the aliases among them (a plain scalar cannot start with `*`): none
   * means the document holds no alias, and the walks that look for them can be skipped.
   */
  aliases: number;
}

export function readYaml(text: string, lines: LineIndex): ReadYaml {
  let stopped: { limit: 'nesting' | 'nodes'; at: number } | null = null;
  let values = 0;
  let aliases = 0;
  /**
   * The parser's tokens, stopped at the first collection nested too deep or the first value over
   * the limit, before the yaml package composes them (recursively, and a million values would take
   * seconds before the AST builder could count them). The parser's own work per token grows with the
   * nesting (200,000 `[` took 2 s), so its stack (the document, the open collections and at most
   * one scalar) is watched as it goes; the AST builder then applies the nesting limit exactly.
   */
  function* guarded(): Generator<CST.Token> {
    const parser = new Parser();
    let plainScalarText = false;
    for (const lexeme of new Lexer().lex(text)) {
      if (plainScalarText) plainScalarText = false; // counted at its marker
      else if (lexeme === CST.SCALAR) {
        plainScalarText = true;
        values++;
      } else if (VALUE_START[lexeme.charCodeAt(0)] === 1) {
        values++;
        if (lexeme.charCodeAt(0) === STAR) aliases++;
      }
      if (values > LIMITS.nodes) {
        stopped = { limit: 'nodes', at: parser.offset };
        return;
      }
      yield* parser.next(lexeme);
      if (parser.stack.length > LIMITS.nesting + 2) {
        stopped = { limit: 'nesting', at: parser.offset };
        return;
      }
    }
    yield* parser.end();
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
    return { document: null, problems: [{ code: 'tooComplex', start: at, end: at + 1, ...limitMessage(limit) }], values, aliases };
  }
  const problems: YamlProblem[] = document!.errors.map((error) => ({
    code: yamlErrorCode(error.code),
    start: error.pos[0],
    end: Math.max(error.pos[1], error.pos[0] + 1),
    message: lowerFirst(error.message.split('\n')[0]!.replace(/\.$/, '')),
  }));
  if (more) problems.push({ code: 'yamlSyntax', start: 0, end: 1, message: 'the file holds more than one YAML document', help: 'a policy is one document: remove the `---` lines after the first' });
  return { document, problems, values, aliases };
}

/**
 * The node each alias of the document stands for (the latest node before it with that anchor),
 * from one walk in document order (a node's anchor comes before its content, a key before its
 * value). The package's `Alias.resolve` searches the whole document for each alias: 5,000 aliases
 * of one anchor took minutes. Only documents that have an alias need this walk.
 */
export function aliasTargets(document: Document.Parsed): Map<Alias, YamlNode> {
  const targets = new Map<Alias, YamlNode>();
  const anchors = new Map<string, YamlNode>();
  const stack: unknown[] = [document.contents];
  // A scalar matters to the walk only when it carries an anchor.
  const push = (node: unknown) => {
    if (node !== null && node !== undefined && (!isScalar(node) || node.anchor)) stack.push(node);
  };
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) targets.set(node, target);
      continue;
    }
    if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) push(node.items[i]);
    else if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        push(node.items[i]!.value);
        push(node.items[i]!.key);
      }
    }
  }
  return targets;
}

/**
 * The keys of one mapping that repeat an earlier key (scalars equal in type and value, so `1` and
 * `'1'` differ; `<<` may repeat), in linear time: the package's own check compares every key with
 * every other (a rule with 50,000 keys took 40 s). The AST builder asks this of each mapping it reads.
 */
export function repeatedKeys(map: YAMLMap, lines: LineIndex, base = 0): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const seen = new Map<unknown, YamlNode>();
  for (const pair of map.items as Pair[]) {
    const key = pair.key as YamlNode | null;
    if (!isScalar(key) || isMergeKey(key) || !key.range) continue;
    const first = seen.get(key.value);
    if (!first) {
      seen.set(key.value, key);
      continue;
    }
    problems.push({
      code: 'duplicateKey',
      start: key.range[0],
      end: Math.max(key.range[1], key.range[0] + 1),
      message: `duplicate key \`${String(key.value)}\`: the first is on line ${lines.position(first.range![0] + base).line}`,
      help: 'YAML forbids a key twice in one mapping, and some readers silently keep only the last; merge the two entries or rename one',
    });
  }
  return problems;
}

/**
 * The repeated keys of every mapping of the document, in document order (for readers that do not
 * build the AST: `kss fmt`). One walk with a stack, as `aliasTargets`: the package's `visit` builds
 * a frozen path array per node, which made this walk ~10 ms of a 5,000-line format (issue 15).
 */
export function duplicateKeys(document: Document.Parsed, lines: LineIndex): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    else if (isPair(node)) stack.push(node.value, node.key);
    else if (isMap(node)) {
      problems.push(...repeatedKeys(node, lines));
      for (let i = node.items.length - 1; i >= 0; i--) {
        stack.push(node.items[i]!.value);
        stack.push(node.items[i]!.key);
      }
    }
  }
  return problems;
}

function lowerFirst(message: string): string {
  return message.length > 1 && /^[A-Z][a-z]/.test(message) ? message[0]!.toLowerCase() + message.slice(1) : message;
}
