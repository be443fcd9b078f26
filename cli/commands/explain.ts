/**
 * `kss explain --policy P --request R.json [--at T] [--tz Z]`: one decision in words, rule set by
 * rule set (the plain interpreter's trace). `--format json` prints the traced decision instead.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { MemoryQuotaStore } from '../../runtime/evaluator/index.js';
import type { Decision, KssRequest } from '../../runtime/evaluator/types.js';
import { localMoment, zoneOrUtc } from '../../runtime/time/zone.js';
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
  const tz = checkZone(opts.tz);
  const { program } = loadPolicy(opts.policy, 'plain');
  let value: unknown;
  try {
    value = JSON.parse(readText(opts.request, 'request'));
  } catch (error) {
    throw new CliError(`the request is not valid JSON: ${(error as Error).message}`, EXIT.usage);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError('the request must be a JSON object', EXIT.usage);
  const { at: requestAt, ...request } = value as Record<string, unknown>;
  const at = opts.at ?? requestAt;
  const now = at === undefined ? clock() : parseMoment(at);
  if (now === null) throw new CliError(`\`${String(at)}\` is not an ISO-8601 moment such as 2022-03-15T14:30:00+01:00`, EXIT.usage);
  const decision = program.decide(request as KssRequest, { now, tz }, new MemoryQuotaStore(), { trace: true });
  if (opts.format === 'json') return `${JSON.stringify(decisionJson(decision), null, 2)}\n`;
  return explainText(decision, request as KssRequest, now, tz);
}

export function explainText(d: Decision, req: KssRequest, now: number, tz: string): string {
  const m = localMoment(now, zoneOrUtc(tz));
  const type = typeof req.request_type === 'string' ? `\`${req.request_type}\`` : 'without a request_type';
  const lines = [`request ${type} at ${new Date(now).toISOString()} (server zone ${tz}: ${m.date}, ${m.hour.slice(11)}h)`];
  if (!d.trace || d.trace.length === 0) {
    lines.push(d.approved
      ? 'APPROVED by default: the policy has no entry for this request type (create_profile and create_location are approved by default)'
      : 'DENIED: no rule set applies (the policy has no entry for this request type, or its list is empty)');
    return `${lines.join('\n')}\n`;
  }
  for (const set of d.trace) {
    lines.push(`rule set ${set.ruleSet}: ${set.approved ? 'approves' : 'does not approve'}`);
    for (const r of set.rules) lines.push(`  ${r.approved ? 'pass' : 'FAIL'}  ${r.kind} ${r.ruleId}: ${r.reason}`);
  }
  lines.push(d.approved ? `APPROVED by rule set ${d.rule_set} (quota uses recorded for its throttles)` : 'DENIED: no rule set approves');
  return `${lines.join('\n')}\n`;
}
