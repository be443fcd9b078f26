/**
 * `POST /v1/shards`: a device asks for the keyserver's shard of a file key. Order matters:
 * certificate (this keyserver onboarded the device), revocation, the device's signature, then
 * the policy decides exactly as for `POST /v1/requests` (quota recorded, audit entry written
 * with the file id). Only an approved, durable decision opens the shard, under the associated
 * data rebuilt from the request, so a shard asked for under another profile, file or path does
 * not open. The shard leaves re-sealed to the device's encryption key, in a signed answer.
 */
import { releaseAad, releaseMessage, sealedSha256, shardAad, type ShardBinding } from '../../protocol/messages.js';
import { isSealed as isSealedShard } from '../../protocol/hpke.js';
import { encryptionKeyFor } from '../identity/encryption.js';
import { privateKeyObject } from '../identity/keys.js';
import { sealTo, type Sealed } from '../../protocol/hpke.js';
import { signEd25519 } from '../../protocol/ed25519.js';
import type { KssRequest } from '../evaluator/types.js';
import requestSchema from '../../schemas/request.schema.json' with { type: 'json' };
import { schemaMessage, validatorFor } from '../server/errors.js';
import { requestProblem } from '../server/request-checks.js';
import { answer, certifiedDevice, CustodyRefusal, parseObject, type CustodyAnswer, type CustodyInput } from './common.js';

const NONCE = /^[\x21-\x7e]{1,128}$/;

/** The checks `POST /v1/requests` makes (schema, then meta components), on the inner request. */
function requestShapeProblem(request: unknown): string | null {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) return 'must be a JSON object';
  const check = validatorFor(requestSchema);
  if (!check(request)) return schemaMessage(check.errors![0]!);
  return requestProblem(request as KssRequest & { auth_meta?: Array<{ meta: string }> });
}

interface ShardRequest {
  request: KssRequest;
  binding: ShardBinding;
  sealed: Sealed;
  deviceKey: string;
}

async function readShardRequest(input: CustodyInput): Promise<ShardRequest> {
  const v = parseObject(input.body);
  const cert = await certifiedDevice(input, v.certificate, 'send the one onboarding gave');
  const problem = requestShapeProblem(v.request);
  if (problem) throw new CustodyRefusal(400, `in \`request\`: ${problem}`);
  const request = v.request as KssRequest & { nonce?: unknown };
  if (request.request_type !== 'decrypt') throw new CustodyRefusal(400, '`request.request_type` must be `decrypt` to ask for a shard');
  if (request.profile?.profile_id?.toLowerCase() !== cert.body.profile_id) throw new CustodyRefusal(403, '`request.profile.profile_id` is not the certificate\'s profile');
  if (request.device_id?.toLowerCase() !== cert.body.device_id) throw new CustodyRefusal(403, '`request.device_id` is not the certificate\'s device');
  if (typeof request.nonce !== 'string' || !NONCE.test(request.nonce)) throw new CustodyRefusal(400, '`request.nonce` must be 1 to 128 printable ASCII characters (a fresh one per request)');
  const meta = request.auth_meta;
  if (!request.cryptographic_id || !Array.isArray(meta) || meta.length !== 1) throw new CustodyRefusal(400, 'a shard request names one file: `request.cryptographic_id` and exactly one `request.auth_meta` entry');
  if (!isSealedShard(v.sealed_shard)) throw new CustodyRefusal(400, '`sealed_shard` must be `{enc, ct}` in base64, as the file header holds it');
  const binding = { keyserverId: input.rt.identity.id, profileId: cert.body.profile_id, fileId: request.cryptographic_id, meta: meta[0]!.meta };
  return { request, binding, sealed: v.sealed_shard, deviceKey: cert.body.device_encryption_key };
}

export function releaseShard(input: CustodyInput): Promise<CustodyAnswer> {
  return answer(async () => {
    const { rt } = input;
    const r = await readShardRequest(input);
    const fileId = r.binding.fileId.toLowerCase();
    const decision = await rt.decide(r.request, input.body, input.tokenId, input.role, (d) => ({ shard_file_id: fileId, shard_released: d.approved }));
    let shard: Sealed | null = null;
    if (decision.approved) {
      let plain: Uint8Array;
      try {
        plain = await (await encryptionKeyFor(rt.identity)).open(r.sealed, shardAad(r.binding));
      } catch {
        throw new CustodyRefusal(422, 'the sealed shard does not open for this request: it was sealed for another keyserver, profile, file id or path, or it was changed');
      }
      shard = await sealTo(Buffer.from(r.deviceKey, 'base64'), plain, releaseAad(r.binding, decision.decision_id));
    }
    const releasedAt = new Date().toISOString();
    const releaseSignature = signEd25519(privateKeyObject(rt.identity), releaseMessage({
      keyserverId: rt.identity.id, decisionId: decision.decision_id, requestSha256: decision.request_sha256,
      approved: decision.approved, releasedAt, shardSha256: sealedSha256(shard),
    }));
    return { status: 200, body: { ...decision, shard, released_at: releasedAt, release_signature: releaseSignature } };
  });
}
