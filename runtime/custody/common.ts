/**
 * Shared by the custody endpoints: their input and answer (plain data, so the HTTP layer only
 * registers them), the refusal they throw, and the device-signature check.
 */
import { deviceRequestMessage, isCertificate, type ProfileCertificate } from '../../protocol/messages.js';
import { verifyEd25519 } from '../../protocol/ed25519.js';
import { certificateValid } from '../identity/certificate.js';
import { parseStrictJson } from '../json/parse.js';
import type { KeyserverRuntime } from '../server/runtime.js';
import type { TokenRecord } from '../store/types.js';

export interface CustodyInput {
  rt: KeyserverRuntime;
  /** The exact request body bytes (signed by the device, hashed into the signed answer). */
  body: Buffer;
  /** The `kss-device-signature` header, if any. */
  signature: string | undefined;
  tokenId: string;
  /** The token's role: an admin's denial carries its reasons (runtime/server/runtime.ts decide). */
  role: TokenRecord['role'];
}

export interface CustodyAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class CustodyRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs an endpoint, turning a refusal into its answer (unexpected errors go on to the server's 503). */
export async function answer(fn: () => Promise<CustodyAnswer>): Promise<CustodyAnswer> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CustodyRefusal) return { status: e.status, body: { error: e.message } };
    throw e;
  }
}

export function parseObject(body: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    // The server's strict reading (duplicate keys, lone surrogates, bad UTF-8 refused), as for /v1/requests.
    v = parseStrictJson(body);
  } catch (e) {
    throw new CustodyRefusal(400, (e as Error).message);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CustodyRefusal(400, 'the body must be a JSON object');
  return v as Record<string, unknown>;
}

export function requireDeviceSignature(input: CustodyInput, signingKeyB64: string): void {
  if (!input.signature) throw new CustodyRefusal(401, 'this request must be signed by the device (header `kss-device-signature`)');
  if (!verifyEd25519(signingKeyB64, deviceRequestMessage(input.body), input.signature)) {
    throw new CustodyRefusal(401, "the device signature does not match the request (signed with another key, or the body changed)");
  }
}

/**
 * The certificate of the device a request comes from, once it is shown to be one this keyserver
 * issued, of a profile and a device not revoked, with the body signed by that device's key.
 * `whichOne` tells the caller what to send when it is missing.
 */
export async function certifiedDevice(input: CustodyInput, cert: unknown, whichOne: string): Promise<ProfileCertificate> {
  if (!isCertificate(cert)) throw new CustodyRefusal(400, `\`certificate\` is missing or malformed (${whichOne})`);
  if (!certificateValid(input.rt.identity, cert)) throw new CustodyRefusal(403, `the profile certificate was not issued by keyserver \`${input.rt.identity.id}\` (onboard with this keyserver)`);
  await refuseRevoked(input.rt, cert.body.profile_id, cert.body.device_id);
  requireDeviceSignature(input, cert.body.device_signing_key);
  return cert;
}

/** Refuses a revoked profile, and a revoked device of it (403). */
export async function refuseRevoked(rt: KeyserverRuntime, profileId: string, deviceId: string): Promise<void> {
  if (await rt.revocations.isRevoked(profileId)) throw new CustodyRefusal(403, `profile \`${profileId}\` is revoked on this keyserver`);
  if (await rt.revocations.isDeviceRevoked(deviceId)) throw new CustodyRefusal(403, `device \`${deviceId}\` of profile \`${profileId}\` is revoked on this keyserver`);
}

export function rawKey(v: unknown, field: string): string {
  if (typeof v !== 'string' || Buffer.from(v, 'base64').length !== 32 || Buffer.from(v, 'base64').toString('base64') !== v) {
    throw new CustodyRefusal(400, `\`${field}\` must be a 32-byte key in base64`);
  }
  return v;
}
