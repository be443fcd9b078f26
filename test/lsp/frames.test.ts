/** FrameDecoder (lsp/frames.ts) on its own: chunking never changes what is read; bad frames are skipped. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, MAX_HEADER_BYTES } from '../../lsp/frames.js';

const frame = (message: unknown): Buffer => {
  const body = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n`), body]);
};

function decode(chunks: Buffer[]): { messages: unknown[]; skipped: string[] } {
  const messages: unknown[] = [];
  const skipped: string[] = [];
  const decoder = new FrameDecoder({ message: (m) => messages.push(m), skipped: (r) => skipped.push(r) });
  for (const chunk of chunks) decoder.push(chunk);
  return { messages, skipped };
}

/** Cuts `bytes` at the given points (taken modulo its length). */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  return [...at, bytes.length].map((end, i) => bytes.subarray(i === 0 ? 0 : at[i - 1], end));
}

const message = fc.record({ jsonrpc: fc.constant('2.0'), id: fc.nat(), method: fc.string({ unit: 'grapheme', maxLength: 20 }), params: fc.jsonValue() });

describe('FrameDecoder', () => {
  it('reads the same messages however the stream is cut into chunks (property)', () => {
    fc.assert(
      fc.property(fc.array(message, { maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (messages, points) => {
        const stream = Buffer.concat(messages.map(frame));
        expect(decode(cut(stream, points))).toEqual({ messages: JSON.parse(JSON.stringify(messages)), skipped: [] });
      }),
    );
  });

  it('skips each bad frame with its reason and reads the valid ones around it, whatever the chunks (property)', () => {
    const bad = fc.constantFrom(
      ['Content-Length: -7\r\n\r\n', 'a Content-Length that is not a byte count'],
      ['Content-Length: 99999999999\r\n\r\n', 'a Content-Length over 67108864 bytes'],
      ['no colon here\r\n\r\n', 'a header line without `:`'],
      ['Content-Type: x\r\n\r\n', 'a header without `Content-Length`'],
      ['Content-Length: 2\r\n\r\n[]', 'a body that is not a JSON object'],
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(message, bad), { maxLength: 4 }), message, fc.array(fc.nat(), { maxLength: 12 }), (pairs, last, points) => {
        const stream = Buffer.concat([...pairs.flatMap(([m, [b]]) => [frame(m), Buffer.from(b)]), frame(last)]);
        const { messages, skipped } = decode(cut(stream, points));
        expect(messages).toEqual(JSON.parse(JSON.stringify([...pairs.map(([m]) => m), last])));
        expect(skipped).toEqual(pairs.map(([, [, reason]]) => reason));
      }),
    );
  });

  it('does not hold an endless header: past the limit it is dropped, and a later frame is read', () => {
    const { messages, skipped } = decode([Buffer.from('x'.repeat(MAX_HEADER_BYTES * 3)), frame({ jsonrpc: '2.0', method: 'initialized' })]);
    expect(messages).toEqual([{ jsonrpc: '2.0', method: 'initialized' }]);
    expect(skipped.length).toBeGreaterThan(0);
  });
});
