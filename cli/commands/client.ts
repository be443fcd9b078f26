/** `kss client onboard|encrypt|decrypt|device`: thin over client/ (the workstation SDK). */
import type { Command } from 'commander';
import { decryptFile } from '../../client/decrypt.js';
import { addDevice } from '../../client/devices.js';
import { DEFAULT_THRESHOLD, encryptFile } from '../../client/encrypt.js';
import { describeProfile, onboard } from '../../client/onboard.js';
import { ClientError, defaultProfileDir, readProfile } from '../../client/profile-dir.js';
import { CliError, UsageError } from '../errors.js';

async function run<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ClientError) throw new CliError(e.message, e.exitCode);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new CliError((e as Error).message, 1);
    throw e;
  }
}

const PROFILE_DIR = ['--profile-dir <dir>', 'the profile directory (default $KSS_PROFILE_DIR or ~/.kss-profile)'] as const;

export function register(program: Command): void {
  const client = program.command('client').description('the workstation side of key custody: onboard a profile, encrypt and decrypt files');
  client.command('onboard').description('create a profile on this workstation and register it with the keyserver')
    .requiredOption('--keyserver <url>', 'the keyserver (e.g. https://ks.example:8443)')
    .requiredOption('--keyserver-id <id>', "the keyserver's id, from its administrator (checked, then pinned)")
    .requiredOption('--token <token>', 'a client token of the keyserver')
    .option(...PROFILE_DIR)
    .option('--name <name>', 'the profile name (default user@host)')
    .action(async (o: { keyserver: string; keyserverId: string; token: string; profileDir?: string; name?: string }) => {
      const p = await run(() => onboard({ keyserver: o.keyserver, keyserverId: o.keyserverId, token: o.token, profileDir: o.profileDir ?? defaultProfileDir(), name: o.name }));
      process.stdout.write(describeProfile(p));
    });
  client.command('encrypt').argument('<in>', 'the file to encrypt').description('encrypt a file so that it opens only with the keyserver\'s approval')
    .requiredOption('-o, --output <file>', 'the encrypted file to write')
    .requiredOption('--path <meta>', 'the path the policy decides on (meta-rule), e.g. finance/2022/report.pdf')
    .option(...PROFILE_DIR)
    .option('--threshold <m>', `how many devices of the profile, the keyserver counted as one and always among them, must take part in decrypting (default ${DEFAULT_THRESHOLD}: the keyserver and any one workstation)`)
    .action(async (input: string, o: { output: string; path: string; profileDir?: string; threshold?: string }) => {
      if (o.threshold !== undefined && !/^\d+$/.test(o.threshold)) throw new UsageError('--threshold must be a whole number');
      const threshold = o.threshold === undefined ? undefined : Number(o.threshold);
      const h = await run(() => encryptFile(readProfile(o.profileDir ?? defaultProfileDir()), { input, output: o.output, meta: o.path, threshold }));
      process.stderr.write(`encrypted \`${input}\` as \`${h.meta}\` (file id ${h.file_id}; the keyserver and ${h.threshold - 1} of ${h.shares.length - 1} workstation${h.shares.length === 2 ? '' : 's'} decrypt it)\n`);
    });
  client.command('decrypt').argument('<in>', 'the encrypted file').description('decrypt a file: asks the keyserver for its shard (exit 0 decrypted, 3 denied, 1 other errors)')
    .requiredOption('-o, --output <file>', 'the decrypted file to write (not written at all on failure)')
    .option(...PROFILE_DIR)
    .option('--keyserver <url>', 'ask this keyserver instead of the one stored at onboarding (e.g. recovered on another machine)')
    .option('--token <token>', 'use this client token instead of the stored one')
    .option('--with-device-dir <dir...>', "other devices' profile directories on this machine, for a file encrypted with --threshold above 2")
    .action(async (input: string, o: { output: string; profileDir?: string; keyserver?: string; token?: string; withDeviceDir?: string[] }) => {
      const h = await run(() => decryptFile(readProfile(o.profileDir ?? defaultProfileDir()), {
        input, output: o.output, keyserver: o.keyserver, token: o.token, withDevices: (o.withDeviceDir ?? []).map((d) => readProfile(d)),
      }));
      process.stderr.write(`decrypted \`${h.meta}\` to \`${o.output}\`\n`);
    });
  const device = client.command('device').description('the devices of a profile: add one (certified by the keyserver), list them');
  device.command('add').description('create a new device of this profile in its own directory and have the keyserver certify it (a change_profile request)')
    .requiredOption('--new-device-dir <dir>', "the new device's profile directory (move it to the new machine; it holds that device's private keys)")
    .option(...PROFILE_DIR)
    .option('--name <name>', 'the new device\'s name (default "device N")')
    .option('--keyserver <url>', 'ask this keyserver instead of the one stored at onboarding')
    .option('--token <token>', 'use this client token instead of the stored one (the new device keeps it too)')
    .action(async (o: { newDeviceDir: string; profileDir?: string; name?: string; keyserver?: string; token?: string }) => {
      const profileDir = o.profileDir ?? defaultProfileDir();
      const { added } = await run(() => addDevice(readProfile(profileDir), { profileDir, newDeviceDir: o.newDeviceDir, name: o.name, keyserver: o.keyserver, token: o.token }));
      process.stdout.write(describeProfile(added));
      process.stderr.write(`device ${added.device.device_id} added; its profile directory is \`${o.newDeviceDir}\`: move it to that machine (mode 0700), it is the device\n`);
    });
  device.command('list').description('the devices of this profile that this device knows (files encrypted here are shared with them)')
    .option(...PROFILE_DIR)
    .action(async (o: { profileDir?: string }) => {
      process.stdout.write(describeProfile(await run(async () => readProfile(o.profileDir ?? defaultProfileDir()))));
    });
}
