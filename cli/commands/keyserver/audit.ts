/** `keyserver audit [--verify]`. */
import type { Command } from 'commander';
import { CliError, UsageError } from '../../errors.js';
import { tailAudit, verifyAudit } from '../../../runtime/admin/audit.js';
import type { DenialReason } from '../../../runtime/evaluator/reasons.js';
import type { AuditEntry } from '../../../runtime/store/types.js';
import { formatOption, withOpenStore, withStore, type OutputFormat, type StoreOpts } from './common.js';

export function registerAudit(ks: Command): void {
  formatOption(withStore(ks.command('audit').description('show the audit log, or check its hash chain')))
    .option('--verify', 'check that no entry was modified, removed or reordered')
    .option('--limit <n>', 'show the last N entries', '50')
    .action(async (o: StoreOpts & { verify?: boolean; limit: string; format: OutputFormat }) => {
      if (o.verify) {
        const r = await withOpenStore(o, verifyAudit);
        if (o.format === 'json') process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
        if (r.problems.length) {
          if (o.format === 'text') for (const p of r.problems) process.stderr.write(`audit: ${p.message}\n`);
          throw new CliError(`the audit chain is broken (${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${r.count} entries)`, 1);
        }
        if (o.format === 'text') process.stdout.write(`audit chain ok: ${r.count} entries verified\n`);
        return;
      }
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer, not \`${o.limit}\``);
      const entries = await withOpenStore(o, (s) => tailAudit(s, limit));
      if (o.format === 'json') process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      else for (const e of entries) process.stdout.write(auditLine(e));
    });
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
