/** Converts a resolved yaml node to a plain value: aliases resolved, `<<` merges applied, under the reading limits. */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode, Pair, Scalar, YAMLMap } from 'yaml';
import type { PlainValue } from './ast.js';
import { checkMergeDepth, checkNesting } from './limits.js';

/** What the conversion needs from the AST builder: alias resolution and the count of values made. */
export interface PlainReader {
  resolve(node: YamlNode | null): YamlNode | null;
  /** One more value at `offset`, `expanded` when it exists only through an alias or merge (may throw LimitExceeded). */
  count(offset: number, expanded: boolean): void;
  /** A mapping is read (its keys are checked for repeats). */
  mapping(map: YAMLMap): void;
}

/**
 * `depth` is the nesting of `node` (checked against LIMITS.nesting, which aliases could otherwise
 * exceed); `expanded` says that it was reached through an alias or a merge.
 */
export function toPlain(node: YamlNode | null, reader: PlainReader, depth: number, expanded: boolean, mergeDepth = 0): PlainValue {
  if (node === null) return null;
  const offset = node.range?.[0] ?? 0;
  reader.count(offset, expanded);
  if (isScalar(node)) return scalarValue(node);
  checkNesting(depth, offset);
  const child = (item: unknown, viaMerge = false): PlainValue =>
    toPlain(reader.resolve(item as YamlNode), reader, depth + 1, expanded || viaMerge || isAlias(item), viaMerge ? mergeDepth + 1 : mergeDepth);
  if (isSeq(node)) return node.items.map((item) => child(item));
  if (isMap(node)) {
    reader.mapping(node);
    const own: { [key: string]: PlainValue } = {};
    const merged: Array<[string, PlainValue]> = [];
    for (const pair of node.items as Pair[]) {
      const keyNode = reader.resolve(pair.key as YamlNode | null);
      const key = isScalar(keyNode) ? keyName(keyNode) : JSON.stringify(child(pair.key));
      if (isMergeKey(pair.key)) {
        checkMergeDepth(mergeDepth + 1, (pair.key as YamlNode).range?.[0] ?? offset);
        const value = reader.resolve(pair.value as YamlNode | null);
        const sources = isSeq(value) ? value.items : [pair.value];
        for (const source of sources) {
          const plain = child(source, true);
          if (plain && typeof plain === 'object' && !Array.isArray(plain)) merged.push(...Object.entries(plain));
        }
        continue;
      }
      own[key] = child(pair.value);
    }
    for (const [key, value] of merged) if (!(key in own)) own[key] = value;
    return own;
  }
  return null;
}

function scalarValue(node: Scalar): PlainValue {
  const value = node.value;
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  return String(value);
}

/** With `merge: true` the yaml package marks `<<` keys with a symbol value. */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const value = (key as Scalar).value;
  return typeof value === 'symbol' || (value === '<<' && (key as Scalar).type === 'PLAIN');
}

export function keyName(key: Scalar): string {
  return typeof key.value === 'symbol' ? '<<' : String(key.value);
}
