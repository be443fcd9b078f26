/** Policy bytes to text (compiler/source/decode.ts): UTF-8 or an error at the first bad byte, never U+FFFD. */
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { analyzePolicy } from '../../compiler/analyze.js';
import { compilePolicy } from '../../compiler/compile.js';
import { decodePolicy, firstInvalidByte } from '../../compiler/source/decode.js';

const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('decodePolicy', () => {
  it('reads UTF-8 and drops a byte order mark', () => {
    expect(decodePolicy(bytes([0xef, 0xbb, 0xbf], 'decrypt: []\n'))).toEqual({ text: 'decrypt: []\n', diagnostics: [] });
    expect(decodePolicy(bytes("paths: ['/café']\n")).text).toBe("paths: ['/café']\n");
  });

  it('refuses Latin-1 at the byte, with its line and column', () => {
    const { diagnostics } = decodePolicy(bytes('decrypt:\n- - rule: meta-rule\n    paths: [/caf', [0xe9], ']\n'));
    expect(diagnostics).toEqual([expect.objectContaining({
      code: 'KSS1011', severity: 'error',
      message: 'the file is not valid UTF-8: byte 0xE9 (byte offset 45) is not part of a UTF-8 character',
      range: expect.objectContaining({ start: { offset: 45, line: 3, column: 17 } }),
    })]);
  });

  it('leaves a binary file (a NUL byte) to the parser, which says it is not text', () => {
    expect(decodePolicy(bytes([0xff, 0x00, 0x41])).diagnostics).toEqual([]);
    expect(analyzePolicy(bytes([0xff, 0x00, 0x41]), 'p.yml').diagnostics.map((d) => d.code)).toEqual(['KSS1009']);
  });

  it.each([
    ['an overlong form', [0xc0, 0xaf]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['a lone continuation byte', [0x80]],
  ])('refuses %s', (_name, bad) => {
    expect(firstInvalidByte(bytes('ok ', bad, ' ok'))).toBe(3);
  });

  it('finds the first bad byte: everything before it is UTF-8, and a file without one is whole (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), fc.string(), (noise, text) => {
      const all = bytes(text, [...noise]);
      const bad = firstInvalidByte(all);
      expect(isUtf8(all.subarray(0, bad))).toBe(true);
      expect(bad === all.length).toBe(isUtf8(all));
    }), { numRuns: 500 });
  });

  it('is where analysis and compilation start: bytes that are not UTF-8 get that one error', () => {
    const latin1 = bytes('decrypt:\n- - rule: meta-rule\n    paths: [/caf', [0xe9], ']\n');
    expect(analyzePolicy(latin1, 'p.yml').diagnostics.map((d) => d.code)).toEqual(['KSS1011']);
    expect(compilePolicy(latin1, 'p.yml')).toMatchObject({ artifact: null, diagnostics: [expect.objectContaining({ code: 'KSS1011' })] });
    expect(compilePolicy(bytes('decrypt:\n- - rule: approve-rule\n'), 'p.yml').artifact).not.toBeNull();
  });
});
