/**
 * `kss client onboard`: creates the profile and this workstation's keys, registers them with the
 * keyserver (`POST /v1/profiles`), checks the keyserver is the one the user named and that the
 * certificate it signed is for exactly what was sent, then pins the keyserver's keys.
 */
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import { userInfo, hostname } from 'node:os';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { certificateMessage, deviceIdFor, isCertificate, type ProfileCertificate } from '../protocol/messages.js';
import { rawEd25519, verifyEd25519 } from '../protocol/ed25519.js';
import { generateEncryptionKeyPair } from '../protocol/hpke.js';
import { getStatus, postSigned } from './http.js';
import { ClientError, writeProfile, type Profile } from './profile-dir.js';

/** 8 words of the 2048-word BIP-39 list: 88 bits, and at least the 4 SPEC 4.2 needs to match on. */
export const PROFILE_WORD_COUNT = 8;

export interface OnboardOptions {
  keyserver: string;
  keyserverId: string;
  token: string;
  profileDir: string;
  name?: string;
}

export function defaultName(): string {
  let user = 'user';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return `${user}@${hostname()}`;
}

/** Fresh key pairs for a device (signing: Ed25519, encryption: X25519). */
export function newDevice(): Promise<Profile['device']> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signingKey = rawEd25519(publicKey);
  return generateEncryptionKeyPair().then((enc) => ({
    device_id: deviceIdFor(signingKey),
    signing_private_key: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    signing_key: signingKey.toString('base64'),
    encryption_private_key: Buffer.from(enc.privateKey).toString('base64'),
    encryption_key: Buffer.from(enc.publicKey).toString('base64'),
  }));
}

export async function onboard(o: OnboardOptions): Promise<Profile> {
  const base = o.keyserver.replace(/\/+$/, '');
  const status = await getStatus(base);
  if (status.keyserver_id !== o.keyserverId) throw new ClientError(`the keyserver at ${base} is \`${status.keyserver_id}\`, not \`${o.keyserverId}\`; check --keyserver-id with its administrator`);
  const device = await newDevice();
  const profileId = randomBytes(16).toString('hex');
  const words = Array.from({ length: PROFILE_WORD_COUNT }, () => wordlist[randomInt(wordlist.length)]!);
  const name = o.name ?? defaultName();
  const body = JSON.stringify({ profile: { profile_id: profileId, profile_words: words }, name, device: { signing_key: device.signing_key, encryption_key: device.encryption_key } });
  const { status: code, json } = await postSigned(base, '/v1/profiles', o.token, body, device.signing_private_key);
  if (code !== 200) throw new ClientError(`the keyserver refused the profile: ${String(json.error ?? code)}`);
  if (json.approved !== true) throw new ClientError("the keyserver's policy denied creating the profile (create_profile)", 3);
  const cert = json.certificate;
  const expected = { keyserver_id: status.keyserver_id, profile_id: profileId, name, device_id: device.device_id, device_signing_key: device.signing_key, device_encryption_key: device.encryption_key };
  if (!isCertificate(cert) || !certificateMatches(cert, expected, status.public_key)) throw new ClientError('the keyserver answered with a certificate that is not for this profile or not signed by it');
  const profile: Profile = {
    format: 'kss-profile', version: 1, profile_id: profileId, profile_words: words, name, device,
    keyserver: { url: base, keyserver_id: status.keyserver_id, public_key: status.public_key, encryption_public_key: status.encryption_public_key, token: o.token },
    certificate: cert,
  };
  writeProfile(o.profileDir, profile);
  return profile;
}

export function certificateMatches(cert: ProfileCertificate, expected: Record<string, string>, keyserverPublicKey: string): boolean {
  const body = cert.body as unknown as Record<string, string>;
  return Object.entries(expected).every(([k, v]) => body[k] === v) && verifyEd25519(keyserverPublicKey, certificateMessage(cert.body), cert.signature);
}

/** The profile as the vendor's docs show it: its name, id, words and its devices (this one first, the keyserver last). */
export function describeProfile(p: Profile): string {
  const peers = p.devices ?? [];
  return [
    `profile ${p.profile_id}`,
    `  name:  ${p.name}`,
    `  words: ${p.profile_words.join(' ')}`,
    `  devices (${peers.length + 2}):`,
    `    workstation  ${p.device.device_id}  ${p.device.name ?? p.name}  (this device)`,
    ...peers.map((d) => `    workstation  ${d.device_id}  ${d.name}`),
    `    keyserver    ${p.keyserver.keyserver_id}  ${p.keyserver.url}`,
    '',
  ].join('\n');
}
