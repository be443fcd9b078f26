/**
 * Table-driven tests for one check: `valid` sources give no diagnostic from it, each `invalid` source
 * gives exactly the listed diagnostics, compared as whole objects (position, message, help, data).
 */
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../compiler/source/parse.js';
import { runChecks } from '../../compiler/checker/run.js';
import type { Check } from '../../compiler/checker/registry.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';

export interface ExpectedDiagnostic {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  help?: string;
  data?: Record<string, unknown>;
}

/** A source, or a source checked with the server's zone known (`kss check --tz`, serve, load). */
export type ValidCase = string | { source: string; zone: ZoneInfo };

export interface CheckCases {
  valid: ValidCase[];
  invalid: Array<{ source: string; zone?: ZoneInfo; errors: ExpectedDiagnostic[] }>;
}

/** Joins lines so that sources in tests read like the file they stand for. */
export const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;

export function checkDiagnostics(check: Check, source: string, zone?: ZoneInfo) {
  const { ast, diagnostics } = parsePolicy(source, 'test.yml');
  expect(diagnostics, 'the test source must parse cleanly').toEqual([]);
  return runChecks(ast!, [check], zone ? { zone } : {}).map((d) => ({
    code: d.code,
    severity: d.severity,
    line: d.range.start.line,
    column: d.range.start.column,
    endLine: d.range.end.line,
    endColumn: d.range.end.column,
    message: d.message,
    help: d.help,
    data: d.data,
  }));
}

export function testCheck(check: Check, cases: CheckCases): void {
  describe(`${check.id} (${check.code})`, () => {
    cases.valid.forEach((valid, i) => {
      const { source, zone } = typeof valid === 'string' ? { source: valid, zone: undefined } : valid;
      it(`valid #${i}${zone ? ` (zone ${zone.name})` : ''}`, () => {
        expect(checkDiagnostics(check, source, zone)).toEqual([]);
      });
    });
    cases.invalid.forEach(({ source, zone, errors }, i) => {
      it(`invalid #${i}: ${errors[0]?.message ?? ''}`, () => {
        const expected = errors.map((e) => ({
          code: check.code,
          severity: check.meta.defaultSeverity,
          help: undefined,
          data: undefined,
          ...e,
        }));
        expect(checkDiagnostics(check, source, zone)).toEqual(expected);
      });
    });
  });
}
