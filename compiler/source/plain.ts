/** Converts a resolved yaml node to a plain value: aliases resolved, `<<` merges applied, depth capped. */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode, Pair, Scalar } from 'yaml';
import type { PlainValue } from './ast.js';

const MAX_DEPTH = 200;

export function toPlain(node: YamlNode | null, resolve: (n: YamlNode | null) => YamlNode | null, depth = 0): PlainValue {
  if (node === null || depth > MAX_DEPTH) return null;
  if (isScalar(node)) return scalarValue(node);
  if (isSeq(node)) return node.items.map((item) => toPlain(resolve(item as YamlNode), resolve, depth + 1));
  if (isMap(node)) {
    const own: { [key: string]: PlainValue } = {};
    const merged: Array<[string, PlainValue]> = [];
    for (const pair of node.items as Pair[]) {
      const keyNode = resolve(pair.key as YamlNode | null);
      const key = isScalar(keyNode) ? keyName(keyNode) : JSON.stringify(toPlain(keyNode, resolve, depth + 1));
      const value = resolve(pair.value as YamlNode | null);
      if (isMergeKey(pair.key)) {
        const sources = isSeq(value) ? value.items.map((i) => resolve(i as YamlNode)) : [value];
        for (const source of sources) {
          const plain = toPlain(source, resolve, depth + 1);
          if (plain && typeof plain === 'object' && !Array.isArray(plain)) merged.push(...Object.entries(plain));
        }
        continue;
      }
      own[key] = toPlain(value, resolve, depth + 1);
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
