/** `kss test` output: text for people, JUnit XML for CI dashboards (JSON is the data as is), and coverage. */
import type { CoverageFile, PolicyCoverage } from '../../compiler/coverage.js';
import { coverageGaps } from '../../compiler/coverage.js';

export interface CaseResult {
  name: string;
  passed: boolean;
  failures: string[];
}

export interface FileResult {
  file: string;
  cases: CaseResult[];
}

export function formatTestText(results: FileResult[]): string {
  const out: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const f of results) {
    out.push(f.file);
    for (const c of f.cases) {
      if (c.passed) passed++;
      else failed++;
      out.push(`  ${c.passed ? 'PASS' : 'FAIL'} ${c.name}`);
      for (const m of c.failures) out.push(`       ${m}`);
    }
  }
  out.push('', `${passed} passed, ${failed} failed`, '');
  return out.join('\n');
}

export function formatJunit(results: FileResult[]): string {
  const esc = (s: string) => s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const total = results.reduce((n, f) => n + f.cases.length, 0);
  const failures = results.reduce((n, f) => n + f.cases.filter((c) => !c.passed).length, 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="kss test" tests="${total}" failures="${failures}">`];
  for (const f of results) {
    const failed = f.cases.filter((c) => !c.passed).length;
    out.push(`  <testsuite name="${esc(f.file)}" tests="${f.cases.length}" failures="${failed}">`);
    for (const c of f.cases) {
      if (c.passed) out.push(`    <testcase classname="${esc(f.file)}" name="${esc(c.name)}"/>`);
      else {
        out.push(`    <testcase classname="${esc(f.file)}" name="${esc(c.name)}">`);
        out.push(`      <failure message="${esc(c.failures[0] ?? 'failed')}">${esc(c.failures.join('\n'))}</failure>`);
        out.push('    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

/** Coverage in words: per policy, the totals and every rule set no case reached or saw approve. */
export function formatCoverageText(coverage: CoverageFile): string {
  const out: string[] = ['coverage'];
  for (const p of coverage.policies) out.push(...policyCoverageLines(p));
  return `${out.join('\n')}\n`;
}

function policyCoverageLines(p: PolicyCoverage): string[] {
  const t = p.totals;
  const out = [`  ${p.policy}: ${t.percent}% (rule sets reached ${t.rule_sets_reached}/${t.rule_sets}, approved ${t.rule_sets_approved}/${t.rule_sets}; rules reached ${t.rules_reached}/${t.rules})`];
  for (const type of p.request_types) {
    const sets = type.rule_sets;
    const rules = sets.flatMap((s) => s.rules);
    out.push(`    ${type.request_type}: rule sets approved ${sets.filter((s) => s.approved).length}/${sets.length}, rules reached ${rules.filter((r) => r.reached).length}/${rules.length}`);
  }
  for (const gap of coverageGaps(p)) out.push(`    - ${gap.message}`);
  return out;
}
