/**
 * The workstation's profile directory: `profile.json` (mode 0600, directory 0700) with the profile
 * id and words, this device's private keys, the keyserver's pinned public keys, the API token and
 * the certificate the keyserver signed at onboarding. The file is the device: whoever reads it can
 * ask for shards as this device, so it never leaves the workstation.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ProfileCertificate } from '../protocol/messages.js';

export const PROFILE_FILE = 'profile.json';
const FORMAT = 'kss-profile';

export class ClientError extends Error {
  /** 1 for failures, 3 for a denial by the keyserver's policy. */
  constructor(
    message: string,
    readonly exitCode: 1 | 3 = 1,
  ) {
    super(message);
  }
}

export interface Profile {
  format: typeof FORMAT;
  version: 1;
  profile_id: string;
  profile_words: string[];
  name: string;
  device: {
    device_id: string;
    /** Ed25519 private key, PKCS#8 DER base64. */
    signing_private_key: string;
    signing_key: string;
    /** X25519 private key (raw, base64), for the shards sealed to this device. */
    encryption_private_key: string;
    encryption_key: string;
  };
  keyserver: { url: string; keyserver_id: string; public_key: string; encryption_public_key: string; token: string };
  certificate: ProfileCertificate;
}

export function defaultProfileDir(): string {
  return process.env.KSS_PROFILE_DIR ?? join(homedir(), '.kss-profile');
}

export function readProfile(dir: string): Profile {
  const file = join(dir, PROFILE_FILE);
  if (!existsSync(file)) throw new ClientError(`no profile in \`${dir}\` (run \`kss client onboard\` first, or pass --profile-dir)`);
  let p: Profile;
  try {
    p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  } catch {
    throw new ClientError(`\`${file}\` is not a kss profile (it is not JSON)`);
  }
  if (p?.format !== FORMAT || p.version !== 1 || typeof p.profile_id !== 'string' || typeof p.keyserver?.public_key !== 'string') {
    throw new ClientError(`\`${file}\` is not a kss profile (unknown format)`);
  }
  return p;
}

/** Refuses to replace an existing profile: its keys are what old files need. */
export function writeProfile(dir: string, p: Profile): void {
  const file = join(dir, PROFILE_FILE);
  if (existsSync(file)) throw new ClientError(`\`${dir}\` already holds a profile; choose another --profile-dir`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(p, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
}
