/** `keyserver audit [--verify]`. */
import type { Command } from 'commander';
import { CliError, UsageError } from '../../errors.js';
import { tailAudit, verifyAudit } from '../../../runtime/admin/audit.js';
import type { AuditReport } from '../../../runtime/audit/verify.js';
import type { DenialReason } from '../../../runtime/evaluator/reasons.js';
import type { AuditEntry } from '../../../runtime/store/types.js';
import { formatOption, withOpenStore, withStore, type OutputFormat, type StoreOpts } from './common.js';

export function registerAudit(ks: Command): void {
  formatOption(withStore(ks.command('audit').description('show the audit log, or check its hash chain and signed checkpoints')))
    .option('--verify', 'check that no entry was modified, removed, renumbered or added without the keyserver\'s key')
    .option('--limit <n>', 'show the last N entries', '50')
    .action(async (o: StoreOpts & { verify?: boolean; limit: string; format: OutputFormat }) => {
      if (o.verify) return verify(o);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer, not \`${o.limit}\``);
      const entries = await withOpenStore(o, (s) => tailAudit(s, limit));
      if (o.format === 'json') process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else for (const e of entries) process.stdout.write(auditLine(e));
    });
}

async function verify(o: StoreOpts & { format: OutputFormat }): Promise<void> {
  let r: AuditReport;
  try {
    r = await withOpenStore(o, (s) => verifyAudit(s, o.dataDir), { sign: false });
  } catch (e) {
    // A store that does not open (a damaged or emptied file) is a broken audit, not a usage error.
    if (e instanceof CliError) throw new CliError(`the audit is broken: ${e.message}`, 1);
    throw e;
  }
  if (o.format === 'json') process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  if (r.problems.length) {
    if (o.format === 'text') for (const p of r.problems) process.stderr.write(`audit: ${p.message}\n`);
    throw new CliError(`the audit is broken (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${r.count} entries)`, 1);
  }
  if (o.format === 'text') process.stdout.write(`${summary(r)}\n`);
}

function summary(r: AuditReport): string {
  if (r.count === 0) return 'audit chain ok: the log is empty (0 entries verified)';
  const lines = [`audit chain ok: ${r.count} entries verified (numbered 1-${r.count} without gaps, canonical rows), ${r.checkpoints} signed checkpoint${r.checkpoints === 1 ? '' : 's'}`];
  if (r.signedUpTo) lines.push(`signed up to entry ${r.signedUpTo.seq} (at ${r.signedUpTo.at}), by the checkpoint of ${r.signedUpTo.signedAt}`);
  if (r.unsigned) lines.push(`entries ${r.unsigned.from}-${r.unsigned.to} (${r.unsigned.firstAt} to ${r.unsigned.lastAt}) are not signed yet: a running keyserver signs within 2 s`);
  if (!r.headFile) lines.push('this data directory holds no copy of the newest checkpoint: deleting the newest entries together with their checkpoints would not be noticed here');
  return lines.join('\n');
}

/** One entry; a denial's reasons (runtime/evaluator/reasons.ts) follow it, one line per rule set. */
function auditLine(e: AuditEntry): string {
  const { reasons, ...rest } = e.data as { reasons?: DenialReason[] };
  // Pending and shadow policies carry their text and artifact: a line says how long they are.
  const data = Object.fromEntries(Object.entries(rest).map(([k, v]) => (k === 'source' || k === 'artifact_json') && typeof v === 'string' ? [k, `(${v.length} characters)`] : [k, v]));
  const lines = [`${e.seq}  ${e.at}  ${e.kind.padEnd(14)}  ${e.actor}  ${JSON.stringify(data)}`];
  for (const r of Array.isArray(reasons) ? reasons : []) {
    const where = r.rule_set === null ? 'no rule set' : `rule set ${r.rule_set}: ${r.kind} ${r.rule_id}`;
    lines.push(`      denied by ${where}: ${r.reason} [${r.code}]`);
  }
  return `${lines.join('\n')}\n`;
}
