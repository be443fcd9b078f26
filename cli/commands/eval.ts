/**
 * `kss eval --policy P --requests R.jsonl [--tz Z] [--trace] [--engine E]`: one JSON decision per
 * input line, in order, with quota state carried across the lines of the run. A line that is not a
 * JSON object (or has a bad `at`) gets `{"line": N, "error": ...}` and the run goes on; the exit
 * status is then 1. Also home of the helpers the other evaluation commands share.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { compilePolicy } from '../../compiler/compile.js';
import type { CompiledArtifact } from '../../compiler/emit/artifact.js';
import type { PolicySource } from '../../compiler/analyze.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import { ARTIFACT_FORMAT } from '../../compiler/emit/artifact.js';
import { ArtifactError, loadProgram, MemoryQuota } from '../../runtime/evaluator/index.js';
import type { DecisionProgram, EngineName } from '../../runtime/evaluator/index.js';
import type { Decision, KssRequest } from '../../runtime/evaluator/types.js';
import { describeZone, instantFromMs, machineZone, parseInstant, parseZone, zoneProblem, type Instant, type Zone } from '../../runtime/time/index.js';
import { CliError, EXIT } from '../errors.js';
import { formatText } from '../format/text.js';

export const ENGINES: EngineName[] = ['optimized', 'plain'];

export function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

export function readText(path: string, what: string): string {
  return readBytes(path, what).toString('utf8');
}

/** A file's bytes (`-`: standard input). Policies are read as bytes: the compiler decodes them, UTF-8 or an error. */
export function readBytes(path: string, what: string): Buffer {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new CliError(`cannot read ${what} \`${path}\`: ${reason}`, EXIT.usage);
  }
}

/**
 * Compiles a policy file (or loads an artifact written by `kss compile`). Errors stop with the
 * diagnostics printed like `kss check` prints them; warnings go to stderr and the command goes on.
 * With the server's `zone`, the checks that depend on it are exact (SPEC 4.3).
 */
export function loadPolicy(path: string, engine: EngineName = 'optimized', quiet = true, zone?: Zone): { program: DecisionProgram; artifact: CompiledArtifact } {
  const bytes = readBytes(path, 'policy');
  const artifact = asArtifact(bytes.toString('utf8')) ?? compileOrExit(bytes, path, quiet, zone && zoneInfo(zone));
  try {
    return { program: loadProgram(artifact, { engine }), artifact };
  } catch (error) {
    if (error instanceof ArtifactError) throw new CliError(`${display(path)}: ${error.message}`, EXIT.usage);
    throw error;
  }
}

function asArtifact(text: string): CompiledArtifact | null {
  if (!text.trimStart().startsWith('{') || !text.includes(`"${ARTIFACT_FORMAT}"`)) return null;
  try {
    const value = JSON.parse(text) as { format?: unknown };
    return value && value.format === ARTIFACT_FORMAT ? (value as CompiledArtifact) : null;
  } catch {
    return null;
  }
}

export function compileOrExit(source: PolicySource, path: string, quiet = false, zone?: ZoneInfo): CompiledArtifact {
  const { artifact, diagnostics, text } = compilePolicy(source, path, zone ? { zone } : {});
  const shown = artifact ? diagnostics.filter((d) => d.severity === 'warning' || d.severity === 'error') : diagnostics.filter((d) => d.severity === 'error');
  if (shown.length > 0 && (!quiet || !artifact)) process.stderr.write(formatText([{ file: display(path), text, diagnostics: shown }], { color: false }));
  if (!artifact) throw new CliError(`${display(path)}: the policy has errors; nothing was evaluated`, EXIT.failed);
  return artifact;
}

/** The server zone of `--tz` (default the machine's); a usage error when it names none. */
export function checkZone(tz: string | undefined): Zone {
  const name = tz ?? machineZone();
  const problem = zoneProblem(name);
  if (problem) throw new CliError(problem, EXIT.usage);
  return parseZone(name);
}

/** What the compiler may know of a server zone (runtime/time describes it, around now). */
export function zoneInfo(zone: Zone): ZoneInfo {
  return describeZone(zone.name, Date.now());
}

/**
 * An `at`: an ISO-8601 moment, exact to the microsecond; one without an offset is in the server
 * zone. Null when it is not one.
 */
export function parseMoment(text: unknown, zone: Zone): Instant | null {
  return typeof text === 'string' ? parseInstant(text, zone) : null;
}

/** The JSON form of a decision printed by eval and test. */
export function decisionJson(d: Decision): Record<string, unknown> {
  return { approved: d.approved, rule_set: d.rule_set, rule_ids: d.rule_ids, ...(d.trace ? { trace: d.trace } : {}) };
}

export interface EvalOptions {
  policy: string;
  requests: string;
  tz?: string;
  trace?: boolean;
  engine: EngineName;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description('decide every request of a JSON Lines file (quota state carries across the lines)')
    .requiredOption('-p, --policy <file>', 'keyserver.yml (or an artifact from `kss compile`)')
    .requiredOption('-r, --requests <file>', 'JSON Lines: one request per line, optional `at` (ISO-8601); `-` reads stdin')
    .option('--tz <zone>', "the server's time zone: IANA name or fixed offset like +04:00 (default: this machine's)")
    .option('--trace', 'add which rules passed or failed and why')
    .addOption(new Option('--engine <engine>', 'evaluator').choices(ENGINES).default('optimized'))
    .action((opts: EvalOptions) => {
      const { output, exitCode } = runEval(opts);
      process.stdout.write(output);
      process.exitCode = exitCode;
    });
}

export function runEval(opts: EvalOptions, clock: () => number = Date.now): { output: string; exitCode: number } {
  const zone = checkZone(opts.tz);
  const { program } = loadPolicy(opts.policy, opts.engine, true, zone);
  const text = readText(opts.requests, 'requests');
  const quota = new MemoryQuota();
  const out: string[] = [];
  let failed = false;
  const fail = (line: number, error: string) => {
    failed = true;
    out.push(JSON.stringify({ line, error }));
    process.stderr.write(`kss: ${display(opts.requests)}:${line}: ${error}\n`);
  };
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      fail(line, `not valid JSON (${(error as Error).message})`);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      fail(line, 'a request must be a JSON object');
      return;
    }
    const { at, ...request } = value as Record<string, unknown>;
    const now = at === undefined ? instantFromMs(clock()) : parseMoment(at, zone);
    if (now === null) {
      fail(line, `\`at\` must be an ISO-8601 moment such as 2022-03-15T14:30:00+01:00, not ${JSON.stringify(at)}`);
      return;
    }
    const decision = program.decide(request as KssRequest, { at: now, zone }, quota, { trace: opts.trace === true });
    out.push(JSON.stringify({ line, ...decisionJson(decision) }));
  });
  return { output: out.length > 0 ? `${out.join('\n')}\n` : '', exitCode: failed ? EXIT.failed : EXIT.ok };
}
