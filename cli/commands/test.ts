/**
 * `kss test [files or folders]`: policy tests in YAML, like `opa test`.
 *
 *     policy: ../finance.yml          # relative to this file
 *     tz: Europe/Berlin               # the server's zone (default UTC)
 *     cases:
 *       - name: finance reads reports in office hours
 *         at: 2022-03-15T10:00:00+01:00
 *         request: {request_type: decrypt, profile: {...}, auth_meta: [...]}
 *         expect: {approved: true, rule_set: 0}
 *       - name: the third export in an hour is refused      # a sequence shares quota state
 *         steps:
 *           - {at: ..., request: ..., expect: {approved: true}}
 *
 * Every case starts with empty quotas. A folder stands for its `*.test.yml` files.
 * `--format text|json|junit`; exit 1 when a case fails.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { MemoryQuota } from '../../runtime/evaluator/index.js';
import type { DecisionProgram } from '../../runtime/evaluator/index.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { parseZone, zoneProblem, type Zone } from '../../runtime/time/index.js';
import { CliError, EXIT } from '../errors.js';
import { display, loadPolicy, parseMoment, readText } from './eval.js';

export function register(program: Command): void {
  program
    .command('test')
    .description('run policy tests (YAML files with a policy, a zone and cases); a folder means its *.test.yml files')
    .argument('[paths...]', 'test files or folders', [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'junit']).default('text'))
    .action((paths: string[], opts: { format: 'text' | 'json' | 'junit' }) => {
      const results = runTests(paths.length > 0 ? paths : ['examples/tests']);
      const out = opts.format === 'json' ? `${JSON.stringify(results, null, 2)}\n` : opts.format === 'junit' ? formatJunit(results) : formatTestText(results);
      process.stdout.write(out);
      process.exitCode = results.some((f) => f.cases.some((c) => !c.passed)) ? EXIT.failed : EXIT.ok;
    });
}

export function runTests(paths: string[]): FileResult[] {
  return expand(paths).map(runFile);
}

function expand(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new CliError(`no such test file or folder \`${p}\``, EXIT.usage);
    }
    if (!isDir) files.push(p);
    // In a folder, only `*.test.yml` files: the policies under test usually sit beside them.
    else files.push(...readdirSync(p).filter((f) => /\.test\.ya?ml$/.test(f)).sort().map((f) => join(p, f)));
  }
  return files;
}

interface Step {
  at?: unknown;
  request?: unknown;
  expect?: { approved?: unknown; rule_set?: unknown; rule_ids?: unknown };
}

function runFile(file: string): FileResult {
  const result: FileResult = { file: display(file), cases: [] };
  const broken = (message: string): FileResult => ({ ...result, cases: [{ name: '(test file)', passed: false, failures: [message] }] });
  let doc: { policy?: unknown; tz?: unknown; cases?: unknown };
  try {
    doc = parse(readText(file, 'test file')) ?? {};
  } catch (error) {
    if (error instanceof CliError) return broken(error.message);
    return broken(`not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof doc.policy !== 'string') return broken('`policy` (the policy file, relative to the test file) is required');
  const tz = doc.tz === undefined ? 'UTC' : String(doc.tz);
  const badZone = zoneProblem(tz);
  if (badZone) return broken(badZone);
  const zone = parseZone(tz);
  if (!Array.isArray(doc.cases) || doc.cases.length === 0) return broken('`cases` must be a non-empty list');
  let program: DecisionProgram;
  try {
    program = loadPolicy(resolve(dirname(file), doc.policy), 'optimized', true, zone).program;
  } catch (error) {
    if (error instanceof CliError) return broken(error.message);
    throw error;
  }
  doc.cases.forEach((c: { name?: unknown; steps?: unknown } & Step, i: number) => {
    const name = typeof c?.name === 'string' ? c.name : `case ${i + 1}`;
    const steps: Step[] = Array.isArray(c?.steps) ? c.steps : [c];
    const quota = new MemoryQuota();
    const failures = steps.flatMap((step, k) => runStep(program, step, zone, quota, steps.length > 1 ? `step ${k + 1}: ` : ''));
    result.cases.push({ name, passed: failures.length === 0, failures });
  });
  return result;
}

function runStep(program: DecisionProgram, step: Step, zone: Zone, quota: MemoryQuota, prefix: string): string[] {
  if (typeof step !== 'object' || step === null) return [`${prefix}a step must be a mapping with at, request and expect`];
  const now = parseMoment(step.at instanceof Date ? step.at.toISOString() : step.at, zone);
  if (now === null) return [`${prefix}\`at\` must be an ISO-8601 moment, e.g. 2022-03-15T10:00:00+01:00`];
  if (typeof step.request !== 'object' || step.request === null) return [`${prefix}\`request\` must be a mapping`];
  const expect = step.expect;
  if (typeof expect !== 'object' || expect === null || typeof expect.approved !== 'boolean') return [`${prefix}\`expect.approved\` (true or false) is required`];
  const d = program.decide(step.request as KssRequest, { at: now, zone }, quota);
  const failures: string[] = [];
  if (d.approved !== expect.approved) failures.push(`${prefix}expected ${expect.approved ? 'approved' : 'denied'}, got ${d.approved ? `approved by rule set ${d.rule_set}` : 'denied'}`);
  else if ('rule_set' in expect && expect.rule_set !== d.rule_set) failures.push(`${prefix}expected rule_set ${String(expect.rule_set)}, got ${String(d.rule_set)}`);
  if (Array.isArray(expect.rule_ids) && JSON.stringify(expect.rule_ids) !== JSON.stringify(d.rule_ids)) {
    failures.push(`${prefix}expected rule_ids ${JSON.stringify(expect.rule_ids)}, got ${JSON.stringify(d.rule_ids)}`);
  }
  return failures;
}

// Output formats: text for people, JUnit XML for CI dashboards (JSON is the data as is).
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
