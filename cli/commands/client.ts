/** `kss client onboard|encrypt|decrypt`: thin over client/ (the workstation SDK). */
import type { Command } from 'commander';
import { decryptFile } from '../../client/decrypt.js';
import { encryptFile } from '../../client/encrypt.js';
import { describeProfile, onboard } from '../../client/onboard.js';
import { ClientError, defaultProfileDir, readProfile } from '../../client/profile-dir.js';
import { CliError } from '../errors.js';

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
    .action(async (input: string, o: { output: string; path: string; profileDir?: string }) => {
      const h = await run(() => encryptFile(readProfile(o.profileDir ?? defaultProfileDir()), { input, output: o.output, meta: o.path }));
      process.stderr.write(`encrypted \`${input}\` as \`${h.meta}\` (file id ${h.file_id})\n`);
    });
  client.command('decrypt').argument('<in>', 'the encrypted file').description('decrypt a file: asks the keyserver for its shard (exit 0 decrypted, 3 denied, 1 other errors)')
    .requiredOption('-o, --output <file>', 'the decrypted file to write (not written at all on failure)')
    .option(...PROFILE_DIR)
    .option('--keyserver <url>', 'ask this keyserver instead of the one stored at onboarding (e.g. recovered on another machine)')
    .option('--token <token>', 'use this client token instead of the stored one')
    .action(async (input: string, o: { output: string; profileDir?: string; keyserver?: string; token?: string }) => {
      const h = await run(() => decryptFile(readProfile(o.profileDir ?? defaultProfileDir()), { input, output: o.output, keyserver: o.keyserver, token: o.token }));
      process.stderr.write(`decrypted \`${h.meta}\` to \`${o.output}\`\n`);
    });
}
