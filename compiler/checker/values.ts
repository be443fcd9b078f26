/** Words for values in messages. */
import type { PlainValue } from '../source/ast.js';

export function typeName(value: PlainValue | undefined): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return 'a string';
}

/** `a string (\`"5"\`)`, `an integer (\`5\`)`, `empty`, `a list`. */
export function describeValue(value: PlainValue | undefined, sourceText?: string): string {
  const name = typeName(value);
  if (value === null || value === undefined || typeof value === 'object') return name;
  // Numbers as written: `12345678901234567890` would otherwise show as 1.2345678901234568e+19.
  const written = typeof value === 'number' && sourceText !== undefined ? sourceText : undefined;
  const shown = written ?? (typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(value));
  return `${name} (\`${shown}\`)`;
}
