/**
 * Policy bytes to text. A policy must be UTF-8 (YAML 1.2 allows UTF-16 and UTF-32 too, but nobody
 * writes a keyserver.yml in them and the reference reads UTF-8): bytes that are not UTF-8 are an
 * error at the first bad byte, never a silent U+FFFD that would change the policy's meaning. A
 * leading byte order mark is dropped. Every place that reads a policy (CLI, `policy --load`,
 * `PUT /v1/policy`, serve) decodes through here.
 */
import { isUtf8 } from 'node:buffer';
import { LineIndex } from '../diagnostics.js';
import type { Diagnostic } from '../diagnostics.js';
import { PARSE_CODES } from './parse-codes.js';

export interface DecodedPolicy {
  /** The text; when the bytes are not UTF-8, a lossy reading (for showing the bad line). */
  text: string;
  /** One error when the bytes are not UTF-8, else empty. */
  diagnostics: Diagnostic[];
}

export type PolicySource = string | Uint8Array;

export function decodePolicy(source: PolicySource): DecodedPolicy {
  if (typeof source === 'string') return { text: withoutBom(source), diagnostics: [] };
  const bytes = source;
  const utf8 = (end: number) => withoutBom(Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf8'));
  const text = utf8(bytes.byteLength);
  // A binary file (a NUL byte: the parser then says it is not text) needs no encoding advice.
  if (isUtf8(bytes) || bytes.includes(0)) return { text, diagnostics: [] };
  const bad = firstInvalidByte(bytes);
  const prefix = utf8(bad);
  const lines = new LineIndex(text);
  const byte = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
  return {
    text,
    diagnostics: [{
      code: PARSE_CODES.notUtf8.code,
      severity: 'error',
      message: `the file is not valid UTF-8: byte 0x${byte} (byte offset ${bad}) is not part of a UTF-8 character`,
      range: lines.range(prefix.length, prefix.length + 1),
      help: 'save the policy as UTF-8 (editors call it "UTF-8" or "Unicode"); kss does not guess another encoding',
    }],
  };
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The index of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF). Only called on bytes that failed isUtf8.
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const [length, min, max] = b < 0x80 ? [1, 0, 0] : b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf] : b === 0xe0 ? [3, 0xa0, 0xbf] : b === 0xed ? [3, 0x80, 0x9f]
      : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf] : b === 0xf0 ? [4, 0x90, 0xbf] : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf] : b === 0xf4 ? [4, 0x80, 0x8f] : [0, 0, 0];
    if (length === 0) return i;
    if (length > 1) {
      // The second byte has the narrow range (it rules out overlong forms and surrogates), the others 80..BF.
      const second = bytes[i + 1];
      if (second === undefined || second < min || second > max) return i;
      for (let k = 2; k < length; k++) {
        const next = bytes[i + k];
        if (next === undefined || next < 0x80 || next > 0xbf) return i;
      }
    }
    i += length;
  }
  return bytes.length;
}
