/**
 * `kss explain --policy P --request R.json [--at T] [--tz Z]`: one decision in words, rule set by
 * rule set (the plain interpreter's trace). `--format json` prints the traced decision instead.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import type { KssRequest } from '../../runtime/evaluator/types.js';
import { instantFromMs } from '../../runtime/time/index.js';
import { simulate } from '../../runtime/admin/explain.js';
import { CliError, EXIT } from '../errors.js';
import { checkZone, decisionJson, loadPolicy, parseMoment, readText } from './eval.js';

interface ExplainOptions {
  policy: string;
  request: string;
  at?: string;
  tz?: string;
  format: 'text' | 'json';
}

export function register(program: Command): void {
  program
    .command('explain')
    .description('explain the decision for one request, rule set by rule set')
    .requiredOption('-p, --policy <file>', 'keyserver.yml (or an artifact from `kss compile`)')
    .requiredOption('-r, --request <file>', 'the request as JSON; `-` reads stdin')
    .option('--at <moment>', 'arrival time, ISO-8601 (default: the request\'s `at`, else now)')
    .option('--tz <zone>', "the server's time zone (default: this machine's)")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: ExplainOptions) => {
      process.stdout.write(runExplain(opts));
    });
}

export function runExplain(opts: ExplainOptions, clock: () => number = Date.now): string {
  const zone = checkZone(opts.tz);
  const { program } = loadPolicy(opts.policy, 'plain', true, zone);
  let value: unknown;
  try {
    value = JSON.parse(readText(opts.request, 'request'));
  } catch (error) {
    throw new CliError(`the request is not valid JSON: ${(error as Error).message}`, EXIT.usage);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError('the request must be a JSON object', EXIT.usage);
  const { at: requestAt, ...request } = value as Record<string, unknown>;
  const at = opts.at ?? requestAt;
  const now = at === undefined ? instantFromMs(clock()) : parseMoment(at, zone);
  if (now === null) throw new CliError(`\`${String(at)}\` is not an ISO-8601 moment such as 2022-03-15T14:30:00+01:00`, EXIT.usage);
  const { decision, text } = simulate(program, request as KssRequest, now, zone);
  return opts.format === 'json' ? `${JSON.stringify(decisionJson(decision), null, 2)}\n` : text;
}
