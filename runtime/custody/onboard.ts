/**
 * `POST /v1/profiles`: a workstation registers a profile and its device. Decided by the policy as
 * a `create_profile` request; when approved the keyserver signs a profile certificate for the
 * device and records the onboarding in the audit log (what `profile list` shows).
 */
import { deviceIdFor, NAME_PATTERN } from '../../protocol/messages.js';
import { issueCertificate } from '../identity/certificate.js';
import { encryptionKeyFor } from '../identity/encryption.js';
import type { KssRequest } from '../evaluator/types.js';
import { answer, CustodyRefusal, parseObject, rawKey, requireDeviceSignature, type CustodyAnswer, type CustodyInput } from './common.js';
import { ONBOARD_KIND } from './revocations.js';

export const MIN_PROFILE_WORDS = 8;
const MAX_PROFILE_WORDS = 24;
const PROFILE_ID = /^[0-9a-f]{32}$/;
const WORD = /^[a-z]{1,16}$/;

interface OnboardBody {
  profileId: string;
  words: string[];
  name: string;
  signingKey: string;
  encryptionKey: string;
}

/** `profile {profile_id, profile_words}` of a custody body, checked (onboarding and device addition). */
export function readProfileField(v: unknown): { profileId: string; words: string[] } {
  const profile = (v ?? {}) as { profile_id?: unknown; profile_words?: unknown };
  if (typeof profile.profile_id !== 'string' || !PROFILE_ID.test(profile.profile_id)) throw new CustodyRefusal(400, '`profile.profile_id` must be 16 bytes in lower-case hex');
  const words = profile.profile_words;
  if (!Array.isArray(words) || words.length < MIN_PROFILE_WORDS || words.length > MAX_PROFILE_WORDS || !words.every((w) => typeof w === 'string' && WORD.test(w))) {
    throw new CustodyRefusal(400, `\`profile.profile_words\` must be ${MIN_PROFILE_WORDS} to ${MAX_PROFILE_WORDS} lower-case words`);
  }
  return { profileId: profile.profile_id, words: words as string[] };
}

/** A name shown in lists (a profile's, a device's), checked. */
export function readName(v: unknown, field: string): string {
  if (typeof v !== 'string' || !NAME_PATTERN.test(v)) throw new CustodyRefusal(400, `\`${field}\` must be 1 to 128 printable ASCII characters`);
  return v;
}

function readOnboard(v: Record<string, unknown>): OnboardBody {
  const device = (v.device ?? {}) as { signing_key?: unknown; encryption_key?: unknown };
  return {
    ...readProfileField(v.profile), name: readName(v.name, 'name'),
    signingKey: rawKey(device.signing_key, 'device.signing_key'), encryptionKey: rawKey(device.encryption_key, 'device.encryption_key'),
  };
}

export function onboardProfile(input: CustodyInput): Promise<CustodyAnswer> {
  return answer(async () => {
    const { rt } = input;
    const b = readOnboard(parseObject(input.body));
    requireDeviceSignature(input, b.signingKey);
    if (await rt.revocations.isRevoked(b.profileId)) throw new CustodyRefusal(403, `profile \`${b.profileId}\` is revoked on this keyserver`);
    const deviceId = deviceIdFor(Buffer.from(b.signingKey, 'base64'));
    const request: KssRequest = { request_type: 'create_profile', device_id: deviceId, profile: { profile_id: b.profileId, profile_words: b.words } };
    const decision = await rt.decide(request, input.body, input.tokenId, input.role);
    if (!decision.approved) return { status: 200, body: { ...decision, certificate: null } };
    const issuedAt = new Date().toISOString();
    const certificate = issueCertificate(rt.identity, {
      profile_id: b.profileId, name: b.name, device_id: deviceId, device_signing_key: b.signingKey, device_encryption_key: b.encryptionKey, issued_at: issuedAt,
    });
    await rt.store.appendAudit([{ at: issuedAt, kind: ONBOARD_KIND, actor: `api:${input.tokenId}`, data: { profile_id: b.profileId, name: b.name, device_id: deviceId, decision_id: decision.decision_id } }]);
    const enc = await encryptionKeyFor(rt.identity);
    return {
      status: 200,
      body: { ...decision, certificate, keyserver: { keyserver_id: rt.identity.id, public_key: rt.identity.publicKey, encryption_public_key: enc.publicKey } },
    };
  });
}
