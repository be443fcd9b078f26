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
 *         quota: [{rule_id: exports, profile_id: 0011..., hour_count: 2, day_count: 2}]
 *         steps:
 *           - {at: ..., request: ..., expect: {approved: false}}
 *
 * Every case starts with empty quotas, or with the counts of its `quota` list, counted in the hour
 * and day of its first step. A folder stands for its `*.test.yml` files. `--format
 * text|json|junit`; exit 1 when a case fails. `--coverage` adds which rule sets and rules the cases
 * reached and which rule sets approved (compiler/coverage.ts); `--coverage-min P` fails below P%.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { COVERAGE_FORMAT } from '../../compiler/coverage.js';
import type { CoverageFile } from '../../compiler/coverage.js';
import { MemoryQuota } from '../../runtime/evaluator/index.js';
import type { DecisionProgram } from '../../runtime/evaluator/index.js';
import { CoverageCollector } from '../../runtime/evaluator/coverage.js';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { windowOf } from '../../runtime/quota/rule.js';
import { localMoment, parseZone, zoneProblem, type Instant, type Zone } from '../../runtime/time/index.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { formatCoverageText, formatJunit, formatTestText } from '../format/test-report.js';
import type { FileResult } from '../format/test-report.js';
import { display, loadPolicy, parseMoment, readText } from './eval.js';

export type { CaseResult, FileResult } from '../format/test-report.js';
export { formatJunit, formatTestText } from '../format/test-report.js';

interface TestOptions {
  format: 'text' | 'json' | 'junit';
  coverage?: boolean;
  coverageMin?: string;
  coverageFile?: string;
}

export function register(program: Command): void {
  program
    .command('test')
    .description('run policy tests (YAML files with a policy, a zone and cases); a folder means its *.test.yml files')
    .argument('[paths...]', 'test files or folders', [])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'junit']).default('text'))
    .option('--coverage', 'report which rule sets and rules the cases reached and which rule sets approved')
    .option('--coverage-min <percent>', 'fail (exit 1) when the coverage is below this percentage (implies --coverage)')
    .option('--coverage-file <file>', 'write the coverage as JSON to this file (the language server reads `kss-coverage.json` beside or above a policy)')
    .action((paths: string[], opts: TestOptions) => {
      process.exitCode = runTestCommand(paths.length > 0 ? paths : ['examples/tests'], opts);
    });
}

/** Runs the tests, prints the report, returns the exit status. */
export function runTestCommand(paths: string[], opts: TestOptions): number {
  const min = opts.coverageMin === undefined ? null : Number(opts.coverageMin);
  if (min !== null && (!Number.isFinite(min) || min < 0 || min > 100 || opts.coverageMin!.trim() === '')) {
    throw new UsageError(`--coverage-min must be a percentage from 0 to 100, not \`${opts.coverageMin}\``);
  }
  const wantCoverage = opts.coverage === true || min !== null || opts.coverageFile !== undefined;
  const collectors = wantCoverage ? new Map<string, CoverageCollector>() : null;
  const results = expand(paths).map((f) => runFile(f, collectors));
  const coverage: CoverageFile | null = collectors && { format: COVERAGE_FORMAT, policies: [...collectors.values()].map((c) => c.result()) };
  process.stdout.write(formatResults(results, coverage, opts.format));
  if (coverage && opts.coverageFile) writeCoverageFile(opts.coverageFile, coverage);
  const failed = results.some((f) => f.cases.some((c) => !c.passed));
  const below = coverage && min !== null ? coverage.policies.filter((p) => p.totals.percent < min) : [];
  for (const p of below) process.stderr.write(`coverage of ${p.policy} is ${p.totals.percent}%, below --coverage-min ${min}%\n`);
  return failed || below.length > 0 ? EXIT.failed : EXIT.ok;
}

export function runTests(paths: string[]): FileResult[] {
  return expand(paths).map((f) => runFile(f, null));
}

function formatResults(results: FileResult[], coverage: CoverageFile | null, format: TestOptions['format']): string {
  if (format === 'json') return `${JSON.stringify(coverage ? { files: results, coverage } : results, null, 2)}\n`;
  if (format === 'junit') return formatJunit(results);
  return formatTestText(results) + (coverage ? formatCoverageText(coverage) : '');
}

/** The file keeps policy paths relative to its own folder, so the editor finds them from anywhere. */
function writeCoverageFile(path: string, coverage: CoverageFile): void {
  const base = dirname(resolve(path));
  const policies = coverage.policies.map((p) => ({ ...p, policy: relative(base, resolve(p.policy)) }));
  try {
    writeFileSync(path, `${JSON.stringify({ ...coverage, policies }, null, 2)}\n`);
  } catch (error) {
    throw new CliError(`cannot write the coverage file \`${path}\`: ${(error as Error).message}`, EXIT.usage);
  }
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

function runFile(file: string, collectors: Map<string, CoverageCollector> | null): FileResult {
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
  let collector: CoverageCollector | null = null;
  try {
    const policyPath = resolve(dirname(file), doc.policy);
    const loaded = loadPolicy(policyPath, 'optimized', true, zone);
    program = loaded.program;
    if (collectors) collector = collectorFor(collectors, policyPath, loaded.artifact);
  } catch (error) {
    if (error instanceof CliError) return broken(error.message);
    throw error;
  }
  const run: Run = { program, zone, collector };
  doc.cases.forEach((c: TestCase, i: number) => {
    const name = typeof c?.name === 'string' ? c.name : `case ${i + 1}`;
    result.cases.push({ name, ...runCase(run, c) });
  });
  return result;
}

function collectorFor(collectors: Map<string, CoverageCollector>, path: string, artifact: { sha256: string; ruleIds: Record<string, string[][]> }): CoverageCollector {
  let c = collectors.get(path);
  if (!c) collectors.set(path, (c = new CoverageCollector(display(path), artifact.sha256, artifact.ruleIds)));
  return c;
}

interface Run {
  program: DecisionProgram;
  zone: Zone;
  collector: CoverageCollector | null;
}

type TestCase = { name?: unknown; steps?: unknown; quota?: unknown } & Step;

function runCase(run: Run, c: TestCase): { passed: boolean; failures: string[] } {
  const steps: Step[] = Array.isArray(c?.steps) ? c.steps : [c];
  const quota = new MemoryQuota();
  const first = steps[0];
  const start = typeof first === 'object' && first !== null ? momentOf(first.at, run.zone) : null;
  const seeded = c?.quota === undefined ? null : seedQuota(quota, c.quota, start, run.zone);
  if (seeded) return { passed: false, failures: [seeded] };
  const failures = steps.flatMap((step, k) => runStep(run, step, quota, steps.length > 1 ? `step ${k + 1}: ` : ''));
  return { passed: failures.length === 0, failures };
}

function momentOf(at: unknown, zone: Zone): Instant | null {
  return parseMoment(at instanceof Date ? at.toISOString() : at, zone);
}

/** Sets the case's starting counts; returns what is wrong with its `quota` list, or null. */
function seedQuota(quota: MemoryQuota, list: unknown, start: Instant | null, zone: Zone): string | null {
  const shape = '`quota` must be a list of {rule_id, profile_id, hour_count, day_count}';
  if (!Array.isArray(list)) return shape;
  if (start === null) return '`quota` needs the first step\'s `at`: the counts are counted in its hour and day';
  const window = windowOf(localMoment(start, zone));
  for (const [i, entry] of list.entries()) {
    const e = (entry ?? {}) as Record<string, unknown>;
    const count = (v: unknown) => (v === undefined ? 0 : Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : null);
    const hourCount = count(e.hour_count);
    const dayCount = e.day_count === undefined ? hourCount : count(e.day_count);
    const ruleId = typeof e.rule_id === 'number' ? String(e.rule_id) : e.rule_id;
    if (typeof ruleId !== 'string' || typeof e.profile_id !== 'string' || hourCount === null || dayCount === null) {
      return `quota entry ${i + 1}: ${shape} (counts are whole numbers from 0)`;
    }
    // The day's count includes the hour's: a day count below the hour count cannot happen on a server.
    quota.seed({ ruleId, profileId: e.profile_id.toLowerCase() }, window, hourCount, Math.max(dayCount, hourCount));
  }
  return null;
}

function runStep(run: Run, step: Step, quota: MemoryQuota, prefix: string): string[] {
  if (typeof step !== 'object' || step === null) return [`${prefix}a step must be a mapping with at, request and expect`];
  const { program, zone, collector } = run;
  const now = momentOf(step.at, zone);
  if (now === null) return [`${prefix}\`at\` must be an ISO-8601 moment, e.g. 2022-03-15T10:00:00+01:00`];
  if (typeof step.request !== 'object' || step.request === null) return [`${prefix}\`request\` must be a mapping`];
  const expect = step.expect;
  if (typeof expect !== 'object' || expect === null || typeof expect.approved !== 'boolean') return [`${prefix}\`expect.approved\` (true or false) is required`];
  const request = step.request as KssRequest;
  const d = program.decide(request, { at: now, zone }, quota, { trace: collector !== null });
  collector?.add(request.request_type, d);
  const failures: string[] = [];
  if (d.approved !== expect.approved) failures.push(`${prefix}expected ${expect.approved ? 'approved' : 'denied'}, got ${d.approved ? `approved by rule set ${d.rule_set}` : 'denied'}`);
  else if ('rule_set' in expect && expect.rule_set !== d.rule_set) failures.push(`${prefix}expected rule_set ${String(expect.rule_set)}, got ${String(d.rule_set)}`);
  if (Array.isArray(expect.rule_ids) && JSON.stringify(expect.rule_ids) !== JSON.stringify(d.rule_ids)) {
    failures.push(`${prefix}expected rule_ids ${JSON.stringify(expect.rule_ids)}, got ${JSON.stringify(d.rule_ids)}`);
  }
  return failures;
}

