/**
 * Request validation for `POST /v1/requests` (SPEC §6 plus the server's own limits: hex byte
 * strings, a meta that is non-empty, relative and at most 4096 characters).
 * Returns the first problem as one message the client can act on, or null.
 * Hand-written until schemas/request.schema.json exists; keep the two in agreement.
 */
import { REQUEST_TYPES } from '../../compiler/ir/types.js';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
export const MAX_META = 4096;

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function validateRequest(body: unknown): string | null {
  if (!isObject(body)) return 'the request must be a JSON object';
  const t = body.request_type;
  if (typeof t !== 'string') return '`request_type` is required and must be a string';
  if (!(REQUEST_TYPES as readonly string[]).includes(t)) return `unknown \`request_type\` \`${t}\` (expected one of ${REQUEST_TYPES.join(', ')})`;
  for (const f of ['device_id', 'cryptographic_id'] as const) {
    const v = body[f];
    if (v !== undefined && (typeof v !== 'string' || !HEX.test(v))) return `\`${f}\` must be a hex string (an even number of 0-9a-f digits)`;
  }
  if (body.profile !== undefined) {
    const p = body.profile;
    if (!isObject(p)) return '`profile` must be an object';
    if (p.profile_id !== undefined && (typeof p.profile_id !== 'string' || !HEX.test(p.profile_id))) {
      return '`profile.profile_id` must be a hex string (an even number of 0-9a-f digits)';
    }
    if (p.profile_words !== undefined && (!Array.isArray(p.profile_words) || !p.profile_words.every((w) => typeof w === 'string'))) {
      return '`profile.profile_words` must be a list of strings';
    }
  }
  if (body.auth_meta !== undefined) {
    if (!Array.isArray(body.auth_meta)) return '`auth_meta` must be a list of `{meta, complete}` objects';
    for (let i = 0; i < body.auth_meta.length; i++) {
      const m: unknown = body.auth_meta[i];
      if (!isObject(m)) return `\`auth_meta[${i}]\` must be an object \`{meta, complete}\``;
      if (typeof m.meta !== 'string') return `\`auth_meta[${i}].meta\` must be a string`;
      if (m.meta.length === 0) return `\`auth_meta[${i}].meta\` is empty`;
      if (m.meta.startsWith('/')) return `\`auth_meta[${i}].meta\` starts with \`/\` (send the path without the leading slash)`;
      if (m.meta.length > MAX_META) return `\`auth_meta[${i}].meta\` is longer than ${MAX_META} characters`;
      if (typeof m.complete !== 'boolean') return `\`auth_meta[${i}].complete\` must be true or false`;
    }
  }
  return null;
}
