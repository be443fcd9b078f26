/**
 * One decision in words, rule set by rule set (the plain interpreter's trace): the text of
 * `kss explain` and of `POST /v1/explain` (the console's simulator), written in one place.
 */
import type { DecisionProgram } from '../evaluator/index.js';
import { MemoryQuota } from '../evaluator/index.js';
import type { Decision, KssRequest } from '../evaluator/types.js';
import { formatInstant, localMoment, type Instant, type Zone } from '../time/index.js';

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

/**
 * A traced decision against empty quota counters, as `kss explain` decides: a simulation records
 * nothing, so it neither uses up a profile's quota nor appears in the audit log.
 */
export function simulate(program: DecisionProgram, req: KssRequest, at: Instant, zone: Zone): { decision: Decision; text: string } {
  const decision = program.decide(req, { at, zone }, new MemoryQuota(), { trace: true });
  return { decision, text: explainText(decision, req, at, zone) };
}
