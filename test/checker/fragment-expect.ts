/**
 * Expected diagnostics for errors the grammars (compiler/grammars, another module) find inside a
 * string: the messages come from the grammar itself, so these tests pin down what the checker adds —
 * the prefix, the help, and the mapping of offsets inside the string to file positions — and keep
 * passing when a grammar rewords a message.
 */
import { expect } from 'vitest';
import type { FragmentResult } from '../../compiler/grammars/result.js';
import type { ExpectedDiagnostic } from './rule-tester.js';

/** `column` is where the scalar starts in the file (its quote, if quoted). */
export function fragmentErrors(
  result: FragmentResult<unknown>,
  at: { line: number; column: number; quoted: boolean },
  prefix: string,
  which: 'errors' | 'warnings' = 'errors',
): ExpectedDiagnostic[] {
  const found = result[which];
  expect(found.length, 'the grammar must find a problem in this test input').toBeGreaterThan(0);
  const base = at.column + (at.quoted ? 1 : 0);
  return found.map((e) => ({
    line: at.line,
    column: base + e.start,
    endLine: at.line,
    endColumn: base + Math.max(e.end, e.start + 1),
    message: `${prefix}${e.message}`,
    ...(e.help ? { help: e.help } : {}),
  }));
}
