/**
 * `kss client device add|list`: a profile with more devices. `add` creates the new device's key
 * pairs in a directory of its own (to be moved to the new machine), has the existing device ask
 * the keyserver to certify it (`POST /v1/devices`: signed by the existing device, with the new
 * device's proof of its signing key; a `change_profile` decision), checks the certificate, then
 * records each device in the other's profile so that files encrypted on either are shared with both.
 */
import { createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deviceProofMessage, isCertificate, NAME_PATTERN } from '../protocol/messages.js';
import { signEd25519 } from '../protocol/ed25519.js';
import { postSigned } from './http.js';
import { certificateMatches, newDevice } from './onboard.js';
import { ClientError, PROFILE_FILE, writeProfile, type PeerDevice, type Profile } from './profile-dir.js';

export interface AddDeviceOptions {
  profileDir: string;
  newDeviceDir: string;
  /** The new device's name (default `device N`). */
  name?: string;
  keyserver?: string;
  token?: string;
}

function asPeer(p: Profile): PeerDevice {
  return { device_id: p.device.device_id, name: p.device.name ?? p.name, signing_key: p.device.signing_key, encryption_key: p.device.encryption_key, certificate: p.certificate };
}

/** Resolves with the existing device's updated profile and the new device's profile (both written). */
export async function addDevice(existing: Profile, o: AddDeviceOptions): Promise<{ existing: Profile; added: Profile }> {
  if (existsSync(join(o.newDeviceDir, PROFILE_FILE))) throw new ClientError(`\`${o.newDeviceDir}\` already holds a profile; choose another --new-device-dir`);
  const name = o.name ?? `device ${(existing.devices?.length ?? 0) + 2}`;
  if (!NAME_PATTERN.test(name)) throw new ClientError('--name must be 1 to 128 printable ASCII characters');
  const device = { ...(await newDevice()), name };
  const ks = existing.keyserver;
  const proofKey = createPrivateKey({ key: Buffer.from(device.signing_private_key, 'base64'), format: 'der', type: 'pkcs8' });
  const proof = signEd25519(proofKey, deviceProofMessage({ keyserverId: ks.keyserver_id, profileId: existing.profile_id, signingKey: device.signing_key, encryptionKey: device.encryption_key }));
  const body = JSON.stringify({
    certificate: existing.certificate, profile: { profile_id: existing.profile_id, profile_words: existing.profile_words },
    device: { name, signing_key: device.signing_key, encryption_key: device.encryption_key }, device_proof: proof,
  });
  const base = (o.keyserver ?? ks.url).replace(/\/+$/, '');
  const { status, json } = await postSigned(base, '/v1/devices', o.token ?? ks.token, body, existing.device.signing_private_key);
  if (status !== 200) throw new ClientError(`the keyserver refused the device: ${String(json.error ?? status)}`);
  if (json.approved !== true) throw new ClientError("the keyserver's policy denied adding a device (a change_profile request: the policy needs a `change_profile` entry that approves it)", 3);
  const cert = json.certificate;
  const expected = { keyserver_id: ks.keyserver_id, profile_id: existing.profile_id, name: existing.certificate.body.name, device_id: device.device_id, device_signing_key: device.signing_key, device_encryption_key: device.encryption_key };
  if (!isCertificate(cert) || !certificateMatches(cert, expected, ks.public_key)) throw new ClientError('the keyserver answered with a certificate that is not for the new device or not signed by it');
  const added: Profile = { ...existing, keyserver: { ...ks, url: base, token: o.token ?? ks.token }, device, certificate: cert, devices: [asPeer(existing), ...(existing.devices ?? [])] };
  writeProfile(o.newDeviceDir, added);
  const updated: Profile = { ...existing, devices: [...(existing.devices ?? []), asPeer(added)] };
  writeProfile(o.profileDir, updated, true);
  return { existing: updated, added };
}
