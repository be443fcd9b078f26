/** `keyserver profile list|revoke`: onboarded profiles and their revocation. */
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { listProfiles, revokeProfile } from '../../../runtime/admin/profiles.js';
import { actor, formatOption, withOpenStore, withStore, type OutputFormat, type StoreOpts } from './common.js';

export function registerProfile(ks: Command): void {
  const profile = ks.command('profile').description('profiles onboarded with `kss client onboard`');
  formatOption(withStore(profile.command('list').description('list onboarded and revoked profiles')))
    .action(async (o: StoreOpts & { format: OutputFormat }) => {
      const profiles = await withOpenStore(o, (s) => listProfiles(s));
      if (o.format === 'json') process.stdout.write(`${JSON.stringify(profiles, null, 2)}\n`);
      else if (profiles.length === 0) process.stdout.write('no profiles\n');
      else for (const p of profiles) process.stdout.write(`${p.profile_id}  ${p.revoked_at ? `revoked ${p.revoked_at}` : 'active'}  ${p.onboarded_at || '-'}  ${p.name || '-'}\n`);
    });
  withStore(profile.command('revoke').argument('<id>', 'profile id (32 hex digits)').description('refuse every request of a profile from now on, on every instance'))
    .action(async (id: string, o: StoreOpts) => {
      const revoked = await withOpenStore(o, (s) => revokeProfile(s, id, actor()));
      if (!revoked) throw new CliError(`profile \`${id}\` is revoked already`, 1);
      process.stdout.write(`profile ${id.toLowerCase()} revoked\n`);
    });
}
