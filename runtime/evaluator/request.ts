/**
 * Reading a request defensively (SPEC §2.5): a missing or malformed field yields null, never a throw,
 * and a rule that gets null does not approve.
 */
import type { AuthMeta, KssRequest } from './types.js';

/** The profile id, lower-cased (hex is compared case-insensitively), or null. */
export function profileIdOf(req: KssRequest): string | null {
  const profile = req.profile;
  if (typeof profile !== 'object' || profile === null) return null;
  const id = (profile as { profile_id?: unknown }).profile_id;
  return typeof id === 'string' && id !== '' ? id.toLowerCase() : null;
}

/** The profile words when they are a list of strings, else null. */
export function profileWordsOf(req: KssRequest): string[] | null {
  const profile = req.profile;
  if (typeof profile !== 'object' || profile === null) return null;
  const words = (profile as { profile_words?: unknown }).profile_words;
  if (!Array.isArray(words)) return null;
  for (const w of words) if (typeof w !== 'string') return null;
  return words as string[];
}

/** `auth_meta` when it is a non-empty list of well-formed entries; null when the rule cannot decide. */
export function authMetaOf(req: KssRequest): AuthMeta[] | null {
  const list = req.auth_meta;
  if (!Array.isArray(list) || list.length === 0) return null;
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) return null;
    const { meta, complete } = entry as { meta?: unknown; complete?: unknown };
    // An empty meta or one with a leading `/` cannot be decided (SPEC §4.1).
    if (typeof meta !== 'string' || meta === '' || meta.charCodeAt(0) === 47) return null;
    if (typeof complete !== 'boolean') return null;
  }
  return list;
}
