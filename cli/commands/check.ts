/**
 * `kss check [files or folders...]`: lint policies for people and CI.
 * Exit status: 0 when no diagnostic reaches --fail-level, 1 when one does, 2 for misuse.
 *
 * A folder stands for the policies directly inside it (not below: sub-folders often hold policy
 * tests or other YAML): every `*.yml` / `*.yaml` except kss config files, and `keyserver.json` /
 * `*.keyserver.json` (other JSON files in a folder are rarely policies). Files named explicitly are
 * always checked, whatever their extension. `-` reads a policy from standard input.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { analyzePolicy, DEFAULT_MAX_DIAGNOSTICS } from '../../compiler/analyze.js';
import type { AnalyzeOptions } from '../../compiler/analyze.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';
import { describeZone, zoneProblem } from '../../runtime/time/index.js';
import { CONFIG_FILE_NAMES, emptyConfig, findConfigFile, loadConfigWithDiagnostics, parseConfig } from '../../compiler/config.js';
import type { ConfigFiles, KssConfig } from '../../compiler/config.js';
import { LineIndex, SEVERITY_RANK } from '../../compiler/diagnostics.js';
import type { Diagnostic } from '../../compiler/diagnostics.js';
import { PARSE_CODES } from '../../compiler/source/parse-codes.js';
import { CliError, EXIT } from '../errors.js';
import { expandPaths } from '../paths.js';
import { formatGithub } from '../format/github.js';
import { formatJson } from '../format/json.js';
import { formatSarif } from '../format/sarif.js';
import { formatText } from '../format/text.js';
import { explain } from '../format/explain.js';
import type { FileReport, Formatter } from '../format/types.js';

const FORMATS: Record<string, Formatter> = { text: formatText, json: formatJson, sarif: formatSarif, github: formatGithub };
const FAIL_LEVELS = ['error', 'warning', 'info', 'hint', 'never'] as const;
/** Larger files are not even read: the parser would refuse them anyway (16 Mi characters). */
const MAX_READ_BYTES = 64 * 1024 * 1024;

export interface CheckOptions {
  format: string;
  /** With `-` among the paths: the name shown for standard input (and where its config is looked up). */
  stdinFilename?: string;
  failLevel: (typeof FAIL_LEVELS)[number];
  maxDiagnostics: number;
  config?: string;
  color: boolean;
  /** The server's zone: the checks that depend on it are then exact (SPEC 4.3); without it they warn. */
  tz?: string;
}

export function register(program: Command): void {
  program
    .command('check')
    .description('check policies for errors and likely mistakes (a folder means the policies directly in it)')
    .argument('[paths...]', 'policy files or folders', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATS)).default('text'))
    .addOption(new Option('--fail-level <level>', 'lowest severity that makes the exit status 1').choices([...FAIL_LEVELS]).default('error'))
    .option('--max-diagnostics <n>', 'at most this many diagnostics per file', parseCount, DEFAULT_MAX_DIAGNOSTICS)
    .option('--config <file>', `severity config to use instead of the nearest ${CONFIG_FILE_NAMES[0]}`)
    .option('--no-color', 'never colour the text output')
    .option('--stdin-filename <name>', 'with `-` as path: the name to show and to find the config from')
    .option('--explain <code>', 'print what a diagnostic code (or check id) means, and exit')
    .option('--tz <zone>', "the server's time zone (IANA name, UTC or ±HH:MM): checks that depend on it become exact")
    .action((paths: string[], opts: { format: string; failLevel: CheckOptions['failLevel']; maxDiagnostics: number; config?: string; color: boolean; stdinFilename?: string; explain?: string; tz?: string }) => {
      if (opts.explain !== undefined) {
        const text = explain(opts.explain);
        if (text === null) throw new CliError(`unknown code or check id \`${opts.explain}\` (see docs/diagnostics/README.md)`, EXIT.usage);
        process.stdout.write(text);
        return;
      }
      const force = process.env.FORCE_COLOR;
      const forced = force !== undefined && force !== '0' && force !== 'false';
      const color = opts.color && process.env.NO_COLOR === undefined && (Boolean(process.stdout.isTTY) || forced);
      const { output, exitCode } = runCheck(paths, { ...opts, color });
      process.stdout.write(output);
      process.exitCode = exitCode;
    });
}

/** The whole command without a process: what the tests call. Throws CliError (exit 2) for misuse. */
export function runCheck(paths: string[], options: CheckOptions): { output: string; exitCode: number } {
  const formatter = FORMATS[options.format];
  if (!formatter) throw new CliError(`unknown format \`${options.format}\` (use ${Object.keys(FORMATS).join(', ')})`, EXIT.usage);
  const zone = options.tz === undefined ? undefined : zoneOf(options.tz);
  const files = expandPaths(paths.length > 0 ? paths : ['.'], isPolicyName, '*.yml, *.yaml, keyserver.json');
  const explicit = options.config ? readConfig(options.config) : null;
  const reports: FileReport[] = [];
  if (explicit && explicit.diagnostics.length > 0) reports.push({ file: display(options.config!), text: explicit.text, diagnostics: explicit.diagnostics });
  const configs = new Map<string, KssConfig>();
  for (const file of files) {
    if (file === '-') {
      const name = options.stdinFilename ?? '<stdin>';
      const config = explicit?.config ?? configFor(options.stdinFilename ?? join(process.cwd(), 'stdin.yml'), configs, reports);
      reports.push(checkText(readStdin(), name, { config, maxDiagnostics: options.maxDiagnostics, zone }));
      continue;
    }
    const config = explicit?.config ?? configFor(file, configs, reports);
    reports.push(checkFile(file, { config, maxDiagnostics: options.maxDiagnostics, zone }));
  }
  const failRank = options.failLevel === 'never' ? Infinity : SEVERITY_RANK[options.failLevel];
  const failed = reports.some((r) => r.diagnostics.some((d) => SEVERITY_RANK[d.severity] >= failRank));
  return { output: formatter(reports, { color: options.color }), exitCode: failed ? EXIT.failed : EXIT.ok };
}

/** `--tz`: what the compiler may know of the zone, from runtime/time. */
function zoneOf(tz: string): ZoneInfo {
  const problem = zoneProblem(tz);
  if (problem) throw new CliError(problem, EXIT.usage);
  return describeZone(tz, Date.now());
}

function checkFile(file: string, options: AnalyzeOptions): FileReport {
  const size = statSync(file).size;
  if (size > MAX_READ_BYTES) {
    const tooLarge: Diagnostic = {
      code: PARSE_CODES.tooLarge.code,
      severity: 'error',
      message: `file is too large to be a policy (${size} bytes)`,
      range: new LineIndex('').range(0, 0),
      help: 'a keyserver.yml is a few thousand lines at most; check that this is the right file',
    };
    return { file: display(file), text: '', diagnostics: [tooLarge] };
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CliError(`cannot read ${display(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
  return checkText(bytes, display(file), options);
}

/** Bytes in, decoded by the front end (UTF-8 or an error at the first bad byte, a BOM dropped). */
function checkText(source: Buffer, name: string, options: AnalyzeOptions): FileReport {
  const { diagnostics, text } = analyzePolicy(source, name, options);
  return { file: name, text, diagnostics };
}

function readStdin(): Buffer {
  try {
    return readFileSync(0);
  } catch (error) {
    throw new CliError(`cannot read standard input: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
}

/** The file system, as the compiler's config search asks for it (the compiler reads no file itself). */
export const CONFIG_FILES: ConfigFiles = { exists: existsSync, read: (path) => readFileSync(path, 'utf8') };

/** The nearest config of each file, read once per config file; its own problems are reported once. */
function configFor(file: string, cache: Map<string, KssConfig>, reports: FileReport[]): KssConfig {
  const path = findConfigFile(resolve(file), CONFIG_FILES);
  if (!path) return emptyConfig();
  const cached = cache.get(path);
  if (cached) return cached;
  const loaded = loadConfigWithDiagnostics(resolve(file), CONFIG_FILES);
  if (loaded.diagnostics.length > 0) {
    reports.push({ file: display(path), text: safeRead(path), diagnostics: loaded.diagnostics });
  }
  cache.set(path, loaded.config);
  return loaded.config;
}

function readConfig(path: string): { config: KssConfig; diagnostics: Diagnostic[]; text: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new CliError(`no such config file: ${path}`, EXIT.usage);
  }
  return { ...parseConfig(text), text };
}

function isPolicyName(name: string): boolean {
  if ((CONFIG_FILE_NAMES as readonly string[]).includes(name)) return false;
  return /\.ya?ml$/i.test(name) || /(^|\.)keyserver\.json$/i.test(name);
}

function display(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel === '' ? file : rel.startsWith('..') ? resolve(file) : rel;
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--max-diagnostics must be a positive integer, not \`${value}\``, EXIT.usage);
  return n;
}

