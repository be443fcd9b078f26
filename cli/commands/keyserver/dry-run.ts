/** `keyserver policy --load FILE --dry-run [--replay N] [--format json]`: what the candidate would change; nothing is activated. */
import { CliError, UsageError } from '../../errors.js';
import { dryRun, type DryRun, type ReplayedChange } from '../../../runtime/admin/dry-run.js';
import { serverZone } from '../../../runtime/admin/policy.js';
import { policyText } from '../../../runtime/datadir/policy-file.js';
import { machineZone, parseZone, zoneProblem } from '../../../runtime/time/index.js';
import { readFileSync } from 'node:fs';
import { printDiagnostics, withOpenStore, type OutputFormat, type StoreOpts } from './common.js';

export async function dryRunCommand(o: StoreOpts, path: string, tz: string | undefined, replayCount: string, format: OutputFormat): Promise<void> {
  const last = Number(replayCount);
  if (!Number.isSafeInteger(last) || last < 0) throw new UsageError(`--replay takes how many recent decisions to replay, not \`${replayCount}\``);
  const problem = tz === undefined ? null : zoneProblem(tz);
  if (problem) throw new UsageError(problem);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new CliError(`cannot read \`${path}\` (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 1);
  }
  const zoneName = tz ?? machineZone();
  const r = await withOpenStore(o, (s) => dryRun(s, bytes, path, { last, examples: 5, zoneInfo: serverZone(zoneName), zone: parseZone(zoneName) }));
  printDiagnostics(path, policyText(path, bytes).text, r.diagnostics);
  if (r.sha256 === null) throw new CliError(`\`${path}\` has errors; nothing was activated`, 1);
  // The diagnostics (warnings here) stay on stderr in both formats, as `kss check` prints them.
  process.stdout.write(format === 'json' ? `${JSON.stringify({ file: path, ...r }, null, 2)}\n` : dryRunText(path, r));
}

export function dryRunText(path: string, r: DryRun): string {
  const lines = [`dry run of ${path} (sha256 ${r.sha256}) against ${r.active_version === null ? 'no active policy' : `active version ${r.active_version}`}; nothing was activated`];
  lines.push(r.counters.kept.length ? `quota counters kept (rule_id unchanged): ${r.counters.kept.join(', ')}` : 'quota counters kept: none');
  lines.push(r.counters.reset.length ? `quota counters reset (rule_id no longer in the policy): ${r.counters.reset.join(', ')}` : 'quota counters reset: none');
  const p = r.replay;
  const n = (x: number) => x.toLocaleString('en-US');
  if (p.total === 0) lines.push('no decisions in the audit log to replay');
  else if (p.replayed === 0) lines.push(`none of the last ${n(p.total)} decisions can be replayed: ${notReplayable(p.total)}`);
  else {
    const of = p.not_replayable === 0 ? `the last ${n(p.total)}` : `the ${n(p.replayed)} replayable of the last ${n(p.total)}`;
    lines.push(`${n(p.changed)} of ${of} decisions would change (${p.from} to ${p.to}; throttles replayed from empty counters)`);
    if (p.not_replayable > 0) lines.push(`${n(p.not_replayable)} not replayable: ${notReplayable(p.not_replayable)}`);
    for (const c of p.examples) lines.push(...exampleLines(c));
  }
  return `${lines.join('\n')}\n`;
}

function notReplayable(count: number): string {
  return `${count === 1 ? 'its audit entry was' : 'their audit entries were'} written before decision entries kept the request (metas, device and cryptographic ids), so they are not decided again`;
}

function exampleLines(c: ReplayedChange): string[] {
  const said = (d: { approved: boolean; rule_set: number | null }) => (d.approved ? `approved by rule set ${d.rule_set}` : 'denied');
  const who = c.request.profile?.profile_id ? ` from ${c.request.profile.profile_id}` : '';
  const what = Array.isArray(c.request.auth_meta) ? ` for ${c.request.auth_meta.map((m) => `\`${m.meta}\``).join(', ')}` : '';
  const out = [`  audit #${c.seq} at ${c.at}: ${String(c.request.request_type)}${who}${what}: was ${said(c.old)}, would be ${said(c.new)}`];
  for (const r of c.new.reasons ?? []) out.push(`      rule set ${r.rule_set ?? '-'}: ${r.reason} [${r.code}]`);
  return out;
}
