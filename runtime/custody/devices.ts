/**
 * `POST /v1/devices`: a device of a profile adds another device to it. The existing device
 * authorises the addition (its certificate, its signature over the body), the new device proves
 * it holds its signing key (`device_proof`), and the policy decides it as a `change_profile`
 * request of the existing device (denied unless the policy has a `change_profile` entry, SPEC 2.1).
 * When approved, the new device gets a profile certificate of its own, exactly like the one
 * onboarding issues, so every later request of it is checked the same way (and a keyserver
 * restored without its database still trusts it), and the addition is recorded in the audit log.
 */
import { deviceIdFor, deviceProofMessage } from '../../protocol/messages.js';
import { verifyEd25519 } from '../../protocol/ed25519.js';
import { issueCertificate } from '../identity/certificate.js';
import type { KssRequest } from '../evaluator/types.js';
import { answer, certifiedDevice, CustodyRefusal, parseObject, rawKey, type CustodyAnswer, type CustodyInput } from './common.js';
import { readName, readProfileField } from './onboard.js';
import { DEVICE_ADD_KIND } from './revocations.js';

export function addDevice(input: CustodyInput): Promise<CustodyAnswer> {
  return answer(async () => {
    const { rt } = input;
    const v = parseObject(input.body);
    const cert = await certifiedDevice(input, v.certificate, "send the existing device's certificate");
    const { profileId, words } = readProfileField(v.profile);
    if (profileId !== cert.body.profile_id) throw new CustodyRefusal(403, '`profile.profile_id` is not the certificate\'s profile');
    const device = (v.device ?? {}) as { name?: unknown; signing_key?: unknown; encryption_key?: unknown };
    const name = readName(device.name, 'device.name');
    const signingKey = rawKey(device.signing_key, 'device.signing_key');
    const encryptionKey = rawKey(device.encryption_key, 'device.encryption_key');
    const newDeviceId = deviceIdFor(Buffer.from(signingKey, 'base64'));
    if (newDeviceId === cert.body.device_id) throw new CustodyRefusal(400, 'the new device must have keys of its own');
    const proof = deviceProofMessage({ keyserverId: rt.identity.id, profileId, signingKey, encryptionKey });
    if (typeof v.device_proof !== 'string' || !verifyEd25519(signingKey, proof, v.device_proof)) {
      throw new CustodyRefusal(401, '`device_proof` is not the new device\'s signature of its keys for this profile and keyserver');
    }
    if (await rt.revocations.isDeviceRevoked(newDeviceId)) throw new CustodyRefusal(403, `device \`${newDeviceId}\` is revoked on this keyserver`);
    const request: KssRequest = { request_type: 'change_profile', device_id: cert.body.device_id, profile: { profile_id: profileId, profile_words: words } };
    const decision = await rt.decide(request, input.body, input.tokenId, input.role);
    if (!decision.approved) return { status: 200, body: { ...decision, certificate: null } };
    const issuedAt = new Date().toISOString();
    const certificate = issueCertificate(rt.identity, {
      profile_id: profileId, name: cert.body.name, device_id: newDeviceId, device_signing_key: signingKey, device_encryption_key: encryptionKey, issued_at: issuedAt,
    });
    await rt.store.appendAudit([{
      at: issuedAt, kind: DEVICE_ADD_KIND, actor: `api:${input.tokenId}`,
      data: { profile_id: profileId, device_id: newDeviceId, name, added_by: cert.body.device_id, decision_id: decision.decision_id },
    }]);
    return { status: 200, body: { ...decision, certificate } };
  });
}
