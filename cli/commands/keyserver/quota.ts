/** `keyserver quota list|clear`: persistent counters, and the in-memory ones of running servers (mirrored in the store). */
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { profileIdProblem } from '../../../runtime/admin/profile-id.js';
import { clearQuota, formatQuotaText, listQuota } from '../../../runtime/admin/quota.js';
import { instantFromMs, machineZone, parseZone, zoneProblem } from '../../../runtime/time/index.js';
import { actor, formatOption, withOpenStore, withStore, type OutputFormat, type StoreOpts } from './common.js';

export function registerQuota(ks: Command): void {
  const quota = ks.command('quota').description('list or clear quota counters');
  formatOption(withStore(quota.command('list').description('counts per rule_id and profile, and who is at quota')))
    .option('--tz <zone>', 'time zone of the counting windows (default the machine\'s)')
    .action(async (o: StoreOpts & { format: OutputFormat; tz?: string }) => {
      const tz = o.tz ?? machineZone();
      const badZone = zoneProblem(tz);
      if (badZone) throw new UsageError(badZone);
      const entries = await withOpenStore(o, (s) => listQuota(s, { at: instantFromMs(Date.now()), zone: parseZone(tz) }));
      process.stdout.write(o.format === 'json' ? `${JSON.stringify(entries, null, 2)}\n` : formatQuotaText(entries));
    });
  withStore(quota.command('clear').description('clear the counters of a profile, or all'))
    .option('--profile <id>', 'profile id (hex)')
    .option('--all', 'every profile')
    .option('--rule-id <id>', 'only this rule id')
    .action(async (o: StoreOpts & { profile?: string; all?: boolean; ruleId?: string }) => {
      if ((o.profile === undefined) === !o.all) throw new UsageError('give exactly one of --profile ID or --all');
      const problem = o.profile === undefined ? null : profileIdProblem(o.profile);
      if (problem) throw new UsageError(problem);
      const { cleared: n } = await withOpenStore(o, (s) => clearQuota(s, { profileId: o.profile?.toLowerCase(), ruleId: o.ruleId }, actor()));
      // Running servers clear the matching in-memory (persistent: false) counters within a second.
      process.stdout.write(`cleared ${n} counter${n === 1 ? '' : 's'} in the store; running servers clear the matching in-memory ones within a second\n`);
    });
}
