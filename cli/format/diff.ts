/** `kss diff`'s four outputs over one report (runtime/diff): text, json, markdown (a PR comment), github annotations. */
import { escapeData, escapeProperty } from './github.js';
import { describeOutcome, type Change, type DiffReport, type Witness } from '../../runtime/diff/index.js';

export const DIFF_FORMATS = ['text', 'json', 'markdown', 'github'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

interface Names {
  old: string;
  new: string;
}

export function formatDiff(report: DiffReport, format: DiffFormat, names: Names): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return markdown(report, names);
    case 'github':
      return github(report, names);
    default:
      return text(report);
  }
}

const NO_CHANGE = 'no change in decisions';

function headline(c: Change): string {
  return `${c.request_type}: ${describeOutcome(c.old)} before, ${describeOutcome(c.new)} after`;
}

function witnessLine(w: Witness): string {
  return `${JSON.stringify(w.request)} at ${w.at}: ${describeOutcome(w.old)} before, ${describeOutcome(w.new)} after`;
}

function counterLines(report: DiffReport): string[] {
  const { kept, reset, fresh } = report.counters;
  const list = (ids: string[]) => (ids.length === 0 ? 'none' : ids.map((id) => `\`${id}\``).join(', '));
  return [`throttle counters reset: ${list(reset)}`, `throttle counters that start fresh: ${list(fresh)}`, `throttle counters kept: ${kept.length}`];
}

function text(report: DiffReport): string {
  const out: string[] = [];
  for (const c of report.changes) {
    out.push(headline(c), `  profiles: ${c.where.profiles.join('; ')}`, `  times: ${c.where.times.join('; ')}`, `  auth_meta: ${c.where.auth_meta.join('; ')}`);
    for (const w of c.witnesses) out.push(`  witness: ${witnessLine(w)}`);
  }
  for (const m of report.may_change) out.push(`${m.request_type}: may change: ${m.reason}`);
  if (report.changes.length === 0) out.push(report.may_change.length === 0 ? NO_CHANGE : 'no change in decisions found, but some may change (above)');
  out.push(...counterLines(report));
  return `${out.join('\n')}\n`;
}

function markdown(report: DiffReport, names: Names): string {
  const out = [`### kss diff \`${names.old}\` → \`${names.new}\``, ''];
  if (report.changes.length === 0 && report.may_change.length === 0) out.push(`**${NO_CHANGE}**`, '');
  for (const c of report.changes) {
    out.push(`#### ${headline(c)}`, '', `- profiles: ${c.where.profiles.join('; ')}`, `- times: ${c.where.times.join('; ')}`, `- auth_meta: ${c.where.auth_meta.join('; ')}`, '');
    out.push('<details><summary>witnesses</summary>', '', '```json', ...c.witnesses.map((w) => JSON.stringify(w)), '```', '</details>', '');
  }
  if (report.may_change.length > 0) out.push('#### may change', '', ...report.may_change.map((m) => `- ${m.request_type}: ${m.reason}`), '');
  out.push(...counterLines(report).map((l) => `- ${l}`));
  return `${out.join('\n')}\n`;
}

function github(report: DiffReport, names: Names): string {
  const file = names.new.includes(':') ? '' : `file=${escapeProperty(names.new)},`;
  const lines = report.changes.map((c) => `::warning ${file}title=${escapeProperty(`kss diff: ${c.request_type}`)}::${escapeData(`${c.description}\nwitness: ${witnessLine(c.witnesses[0]!)}`)}`);
  for (const m of report.may_change) lines.push(`::notice ${file}title=${escapeProperty(`kss diff: ${m.request_type} may change`)}::${escapeData(m.reason)}`);
  if (lines.length === 0) lines.push(`::notice ${file}title=kss diff::${NO_CHANGE}`);
  return `${lines.join('\n')}\n`;
}
