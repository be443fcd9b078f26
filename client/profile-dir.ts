/**
 * The workstation's profile directory: `profile.json` (mode 0600, directory 0700) with the profile
 * id and words, this device's private keys, the keyserver's pinned public keys, the API token and
 * the certificate the keyserver signed at onboarding (or at `device add`), and the other devices
 * of the profile this one knows (their public keys and certificates, to seal file shares to them).
 * The file is the device: whoever reads it can ask for shards as this device, so it never leaves
 * the workstation.
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

/** Another device of the profile: what this one needs to seal a share to it. */
export interface PeerDevice {
  device_id: string;
  name: string;
  signing_key: string;
  /** Raw X25519 public key, base64. */
  encryption_key: string;
  /** Its certificate, checked against the pinned keyserver key before a share is sealed to it. */
  certificate: ProfileCertificate;
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
    /** Absent in profiles written before devices could be added. */
    name?: string;
  };
  /** The profile's other devices (absent: none, as before devices could be added). */
  devices?: PeerDevice[];
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

/** Refuses to replace an existing profile (its keys are what old files need) unless `update`. */
export function writeProfile(dir: string, p: Profile, update = false): void {
  const file = join(dir, PROFILE_FILE);
  if (!update && existsSync(file)) throw new ClientError(`\`${dir}\` already holds a profile; choose another --profile-dir`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(p, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(tmp, file);
}
