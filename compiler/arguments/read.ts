/**
 * Typed readers of rule arguments: the one way the checks and lowering read a rule, so that both see
 * the same values. A value counts when it has the type its schema asks for (argument-type reports
 * the others, through validate.ts); an argument that is absent, or written empty, reads as its
 * schema's `default`. Nothing here reports: a reader answers what the rule means.
 */
import type { ArgumentNode, PlainValue, RuleNode, ValueNode } from '../source/ast.js';
import { argumentDefault } from './validate.js';

export function argument(rule: RuleNode, key: string): ArgumentNode | undefined {
  // A plain loop: this is called for every rule by many checks.
  const args = rule.args;
  for (let i = 0; i < args.length; i++) if (args[i]!.key === key) return args[i];
  return undefined;
}

/**
 * The value written for `key` when `accept` takes it, else the schema's default (when absent, empty,
 * or of a type the checker reports: lowering never meets those, the editor's views read on).
 */
function valueOf<T extends PlainValue>(rule: RuleNode, key: string, accept: (value: PlainValue | undefined) => value is T, fallback: T): T {
  const written = argument(rule, key)?.value.value;
  if (accept(written)) return written;
  const byDefault = rule.kind !== null ? argumentDefault(rule.kind, key) : undefined;
  return accept(byDefault) ? byDefault : fallback;
}

export function readBoolean(rule: RuleNode, key: string): boolean {
  return valueOf(rule, key, (v): v is boolean => typeof v === 'boolean', false);
}

/** A whole number (finite), or null when absent without a default. */
export function readInteger(rule: RuleNode, key: string): number | null {
  return valueOf<number | null>(rule, key, isInteger, null);
}

/** The whole numbers of a list argument (the default list when absent). */
export function readIntegers(rule: RuleNode, key: string): number[] {
  return valueOf(rule, key, (v): v is number[] => Array.isArray(v) && v.every(isInteger), []);
}

function isInteger(value: PlainValue | undefined): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

export interface StringItem {
  value: ValueNode;
  text: string;
}

/** A string argument with its node, or null. */
export function readString(rule: RuleNode, key: string): StringItem | null {
  const arg = argument(rule, key);
  return arg && typeof arg.value.value === 'string' ? { value: arg.value, text: arg.value.value } : null;
}

/** The string items of a list argument, each with its node. */
export function readStrings(rule: RuleNode, key: string): StringItem[] {
  const items = argument(rule, key)?.value.items;
  const result: StringItem[] = [];
  if (!items) return result;
  for (const item of items) if (typeof item.value === 'string') result.push({ value: item, text: item.value });
  return result;
}

/** The time-valued arguments of a rule: time-range-rule's window and session-params-rule's end. */
export const TIME_ARGUMENTS: Record<string, readonly string[]> = {
  'time-range-rule': ['time_start', 'time_end'],
  'session-params-rule': ['end_by_time'],
};

/** The time arguments of a rule that are strings (other types are argument-type's business). */
export function readTimes(rule: RuleNode): Array<StringItem & { key: string }> {
  const keys = rule.kind ? TIME_ARGUMENTS[rule.kind] : undefined;
  if (!keys) return [];
  const result: Array<StringItem & { key: string }> = [];
  for (const key of keys) {
    const value = argument(rule, key)?.value;
    if (value && typeof value.value === 'string') result.push({ key, value, text: value.value });
  }
  return result;
}

/** Words a profile-id entry needs at least (SPEC §4.2). */
export const MIN_PROFILE_WORDS = 4;

export type ProfileIdEntry =
  | { kind: 'hex'; id: string }
  | { kind: 'words'; words: string[] }
  | { kind: 'odd-hex' }
  | { kind: 'few-words'; words: string[] }
  | { kind: 'neither' };

/**
 * A `profile_ids` entry as the reference reads it: any space makes it a word list, split on single
 * spaces with each word stripped (so a double space yields an empty word, which no profile has);
 * otherwise whole bytes of hex (`bytes.fromhex`), any case.
 */
export function readProfileId(text: string): ProfileIdEntry {
  if (text.includes(' ')) {
    const words = text.split(' ').map((w) => w.trim());
    return words.length >= MIN_PROFILE_WORDS ? { kind: 'words', words } : { kind: 'few-words', words };
  }
  if (!/^[0-9a-fA-F]+$/.test(text)) return { kind: 'neither' };
  return text.length % 2 === 0 ? { kind: 'hex', id: text.toLowerCase() } : { kind: 'odd-hex' };
}
