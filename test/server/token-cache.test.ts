/** runtime/server/token-cache.ts: found tokens by their text, compared whole; nothing else kept. */
import { describe, expect, it } from 'vitest';
import { newTokenText } from '../../runtime/admin/tokens.js';
import { VerifiedTokens } from '../../runtime/server/token-cache.js';
import type { TokenRecord } from '../../runtime/store/types.js';

const recordOf = (id: string): TokenRecord => ({ id, hash: 'h', role: 'client', label: 'l', createdAt: '2026-12-03T00:00:00.000Z', revokedAt: null });

describe('VerifiedTokens', () => {
  it('answers the exact text of a kept token, and nothing for its id with another secret', () => {
    const cache = new VerifiedTokens();
    const { id, token } = newTokenText();
    const record = recordOf(id);
    expect(cache.get(token)).toBeUndefined();
    cache.set(token, record);
    expect(cache.get(token)).toBe(record);
    expect(cache.get(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(cache.get(`${token}x`)).toBeUndefined();
    expect(cache.get(token.slice(0, -1))).toBeUndefined();
    cache.clear();
    expect(cache.get(token)).toBeUndefined();
  });

  it('keeps no text of another shape, nor a record whose id is not the text\'s', () => {
    const cache = new VerifiedTokens();
    cache.set('not-a-kss-token', recordOf('abcd1234'));
    expect(cache.get('not-a-kss-token')).toBeUndefined();
    const { token } = newTokenText();
    cache.set(token, recordOf('00000000'));
    expect(cache.get(token)).toBeUndefined();
  });
});
