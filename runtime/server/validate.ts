/**
 * Request validation for `POST /v1/requests`: the shape from schemas/request.schema.json (ajv),
 * then the server's own limits the schema does not express: byte strings with an even number of
 * hex digits, and a meta that is non-empty, relative and at most 4096 characters.
 * Returns the first problem as one message the client can act on, or null.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import requestSchema from '../../schemas/request.schema.json' with { type: 'json' };

export const MAX_META = 4096;
const HEX_EVEN = /^(?:[0-9a-fA-F]{2})*$/;

const ajv = new Ajv2020({ allErrors: false, strict: false });
const schemaCheck = ajv.compile(requestSchema);

function where(instancePath: string): string {
  const p = instancePath.replace(/^\//, '').split('/').filter(Boolean);
  return p.length === 0 ? 'the request' : `\`${p.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : `${i ? '.' : ''}${s}`)).join('')}\``;
}

export function validateRequest(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the request must be a JSON object';
  if (!schemaCheck(body)) {
    const e = schemaCheck.errors![0]!;
    if (e.keyword === 'enum') return `${where(e.instancePath)} must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join(', ')}`;
    if (e.keyword === 'pattern') return `${where(e.instancePath)} must be a hex string (digits 0-9, a-f)`;
    if (e.keyword === 'required') return `${where(e.instancePath)} needs \`${(e.params as { missingProperty: string }).missingProperty}\``;
    return `${where(e.instancePath)} ${e.message ?? 'is invalid'}`;
  }
  const b = body as { device_id?: string; cryptographic_id?: string; profile?: { profile_id?: string }; auth_meta?: Array<{ meta: string }> };
  for (const [name, v] of [['device_id', b.device_id], ['cryptographic_id', b.cryptographic_id], ['profile.profile_id', b.profile?.profile_id]] as const) {
    if (v !== undefined && !HEX_EVEN.test(v)) return `\`${name}\` must have an even number of hex digits (two per byte)`;
  }
  const metas = b.auth_meta ?? [];
  for (let i = 0; i < metas.length; i++) {
    const m = metas[i]!.meta;
    if (m.length === 0) return `\`auth_meta[${i}].meta\` is empty`;
    if (m.startsWith('/')) return `\`auth_meta[${i}].meta\` starts with \`/\` (send the path without the leading slash)`;
    if (m.length > MAX_META) return `\`auth_meta[${i}].meta\` is longer than ${MAX_META} characters`;
  }
  return null;
}
