/**
 * `kss explain --policy P --request R.json [--at T] [--tz Z]`: one decision in words, rule set by
 * rule set (the plain interpreter's trace). `--format json` prints the traced decision instead.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { MemoryQuota } from '../../runtime/evaluator/index.js';
import type { Decision, KssRequest } from '../../runtime/evaluator/types.js';
import { formatInstant, instantFromMs, localMoment, type Instant, type Zone } from '../../runtime/time/index.js';
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
  const decision = program.decide(request as KssRequest, { at: now, zone }, new MemoryQuota(), { trace: true });
  if (opts.format === 'json') return `${JSON.stringify(decisionJson(decision), null, 2)}\n`;
  return explainText(decision, request as KssRequest, now, zone);
}

export function explainText(d: Decision, req: KssRequest, at: Instant, zone: Zone): string {
  const m = localMoment(at, zone);
  const type = typeof req.request_type === 'string' ? `\`${req.request_type}\`` : 'without a request_type';
  const lines = [`request ${type} at ${formatInstant(at)} (server zone ${zone.name}: ${m.date}, ${m.localHour.slice(11)}h)`];
  if (!d.trace || d.trace.length === 0) {
    lines.push(d.approved
      ? 'APPROVED by default: the policy has no entry for this request type (create_profile and create_location are approved by default)'
      : 'DENIED: no rule set applies (the policy has no entry for this request type, or its list is empty)');
    return `${lines.join('\n')}\n`;
  }
  for (const set of d.trace) {
    lines.push(`rule set ${set.ruleSet}: ${set.approved ? 'approves' : 'does not approve'}`);
    for (const r of set.rules) lines.push(`  ${r.approved ? 'pass' : 'FAIL'}  ${r.kind} ${r.ruleId}: ${r.reason}${r.code ? ` [${r.code}]` : ''}`);
  }
  lines.push(d.approved ? `APPROVED by rule set ${d.rule_set} (quota uses recorded for its throttles)` : 'DENIED: no rule set approves');
  return `${lines.join('\n')}\n`;
}
