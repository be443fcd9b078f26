/** `keyserver profile list|revoke`: onboarded profiles and their revocation. */
import type { Command } from 'commander';
import { CliError } from '../../errors.js';
import { listProfiles, revokeProfile } from '../../../runtime/admin/profiles.js';
import { listDevices, revokeDevice } from '../../../runtime/custody/device-admin.js';
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
  formatOption(withStore(profile.command('devices').argument('<id>', 'profile id (32 hex digits)').description('the devices of a profile: the one that onboarded it and those added with `kss client device add`')))
    .action(async (id: string, o: StoreOpts & { format: OutputFormat }) => {
      const devices = await withOpenStore(o, (s) => listDevices(s, id));
      if (o.format === 'json') process.stdout.write(`${JSON.stringify(devices, null, 2)}\n`);
      else if (devices.length === 0) process.stdout.write('no devices recorded for this profile\n');
      else for (const d of devices) process.stdout.write(`${d.device_id}  ${d.revoked_at ? `revoked ${d.revoked_at}` : 'active'}  ${d.added_at}  ${d.added_by ? `added by ${d.added_by}` : 'onboarded'}  ${d.name}\n`);
    });
  withStore(profile.command('revoke-device').argument('<id>', 'device id (32 hex digits)').description("refuse every request of one device from now on, on every instance (the profile's other devices keep working)"))
    .action(async (id: string, o: StoreOpts) => {
      const revoked = await withOpenStore(o, (s) => revokeDevice(s, id, actor()));
      if (!revoked) throw new CliError(`device \`${id}\` is revoked already`, 1);
      process.stdout.write(`device ${id.toLowerCase()} revoked\n`);
    });
}
