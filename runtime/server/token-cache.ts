/**
 * The tokens a server has found in its store, looked up by their text without hashing it (issue
 * 15: a sha-256 of the token on every request). The key is the token's id (`kss_<id>_<secret>`,
 * runtime/admin/tokens.ts), which is not secret; the whole text is then compared in constant time
 * (timingSafeEqual), so the time a lookup takes says nothing about the secret. Text of another
 * shape is not cached (the caller hashes it and asks the store, as for any miss). The runtime
 * clears the cache when the store's token epoch moves (a token created or revoked anywhere), so
 * revocation stays exact; only found tokens are kept, at most MAX of them.
 */
import { timingSafeEqual } from 'node:crypto';
import type { TokenRecord } from '../store/types.js';

/** More tokens than a keyserver has clients; past it the cache starts again (misses ask the store). */
const MAX = 4096;
/** `kss_` + 8 hex digits of id + `_`. */
const ID_END = 12;

export class VerifiedTokens {
  private readonly byId = new Map<string, { text: Buffer; record: TokenRecord }>();

  get(text: string): TokenRecord | undefined {
    const id = idOf(text);
    const hit = id === null ? undefined : this.byId.get(id);
    if (!hit) return undefined;
    const given = Buffer.from(text);
    return given.length === hit.text.length && timingSafeEqual(given, hit.text) ? hit.record : undefined;
  }

  /** Keeps a token the store found for `text` (whose hash it holds). */
  set(text: string, record: TokenRecord): void {
    const id = idOf(text);
    if (id === null || id !== record.id) return;
    if (this.byId.size >= MAX) this.byId.clear();
    this.byId.set(id, { text: Buffer.from(text), record });
  }

  clear(): void {
    this.byId.clear();
  }
}

function idOf(text: string): string | null {
  return text.length > ID_END && text.startsWith('kss_') && text.charCodeAt(ID_END) === 0x5f ? text.slice(4, ID_END) : null;
}
