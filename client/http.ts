/** The client's only way to the keyserver: JSON over HTTP(S), device-signed where custody needs it. */
import { createPrivateKey } from 'node:crypto';
import { DEVICE_SIGNATURE_HEADER, deviceRequestMessage } from '../protocol/messages.js';
import { signEd25519 } from '../protocol/ed25519.js';
import { ClientError } from './profile-dir.js';

export interface KeyserverStatus {
  keyserver_id: string;
  public_key: string;
  encryption_public_key: string;
}

async function exchange(url: string, init: RequestInit): Promise<{ status: number; json: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new ClientError(`cannot reach the keyserver at ${new URL(url).origin} (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message})`);
  }
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
  } catch {
    throw new ClientError(`the keyserver answered ${res.status} with a body that is not JSON`);
  }
}

export async function getStatus(base: string): Promise<KeyserverStatus> {
  const { status, json } = await exchange(`${base}/v1/status`, { method: 'GET' });
  if (status !== 200 || typeof json.keyserver_id !== 'string' || typeof json.encryption_public_key !== 'string') {
    throw new ClientError(`${base} does not answer as a kss keyserver with key custody (GET /v1/status: ${status})`);
  }
  return json as unknown as KeyserverStatus;
}

/** POSTs `body` (the exact bytes) signed with the device's Ed25519 key. */
export async function postSigned(base: string, path: string, token: string, body: string, signingPrivatePkcs8: string) {
  const key = createPrivateKey({ key: Buffer.from(signingPrivatePkcs8, 'base64'), format: 'der', type: 'pkcs8' });
  const signature = signEd25519(key, deviceRequestMessage(Buffer.from(body)));
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, [DEVICE_SIGNATURE_HEADER]: signature };
  const out = await exchange(`${base}${path}`, { method: 'POST', headers, body });
  if (out.status === 401 && /token/.test(String(out.json.error))) throw new ClientError(`the keyserver refused the token: ${String(out.json.error)} (pass a valid one with --token)`);
  return out;
}
