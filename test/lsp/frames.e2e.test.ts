/**
 * Hostile frames over a real stdio session (issue 10 §5): after a negative or huge Content-Length,
 * a header line without `:`, or random bytes, the server answers the next valid request.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES } from '../../lsp/frames.js';
import { removeServerBundle, serverBundle } from './client.js';

/** Speaks raw bytes to the server, so frames can be as broken as an attacker likes. */
class RawSession {
  private out = Buffer.alloc(0);
  private nextId = 1;
  stderr = '';
  exited: number | null = null;
  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (chunk: Buffer) => (this.out = Buffer.concat([this.out, chunk])));
    child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('exit', (code) => (this.exited = code ?? -1));
  }
  write(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }
  /** Sends a valid request (optionally glued to bytes before it, in the same write) and waits for its answer. */
  async request(method: string, params: unknown, before: Buffer = Buffer.alloc(0)): Promise<{ id: number; result?: unknown; error?: unknown }> {
    const id = this.nextId++;
    this.write(Buffer.concat([before, frame({ jsonrpc: '2.0', id, method, params })]));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = this.answers().find((m) => m.id === id);
      if (answer) return answer;
      if (Date.now() > deadline || this.exited !== null) throw new Error(`no answer to ${method} #${id}; exited ${this.exited}; stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  private answers(): Array<{ id: number; result?: unknown }> {
    return this.out
      .toString('utf8')
      .split(/Content-Length: \d+\r\n\r\n/)
      .filter((s) => s.startsWith('{'))
      .map((s) => JSON.parse(s) as { id: number });
  }
}

const frame = (message: unknown): Buffer => {
  const body = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
};

let session: RawSession;
beforeAll(async () => {
  session = new RawSession(spawn(process.execPath, [await serverBundle(), '--stdio'], { stdio: 'pipe' }));
  const init = await session.request('initialize', { processId: null, rootUri: null, capabilities: {} });
  expect(init.result).toHaveProperty('capabilities');
});
afterAll(async () => {
  await session.request('shutdown', null);
  session.write(frame({ jsonrpc: '2.0', method: 'exit' }));
  await new Promise((resolve) => (session.exited !== null ? resolve(null) : session.child.once('exit', resolve)));
  expect(session.exited).toBe(0);
  removeServerBundle();
});

const hover = { textDocument: { uri: 'file:///frames/keyserver.yml' }, position: { line: 0, character: 0 } };

describe('hostile frames', () => {
  it.each([
    ['a negative Content-Length', 'Content-Length: -5\r\n\r\n{}'],
    ['a huge Content-Length', `Content-Length: ${MAX_FRAME_BYTES + 1}\r\n\r\n{}`],
    ['a Content-Length of 10^20', 'Content-Length: 99999999999999999999\r\n\r\n'],
    ['a header line without `:`', 'garbage header\r\n\r\n{"jsonrpc":"2.0","id":0,"method":"shutdown"}'],
    ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n'],
    ['no Content-Length', 'Content-Type: application/vscode-jsonrpc\r\n\r\n'],
    ['a body that is not JSON', 'Content-Length: 3\r\n\r\n{{{'],
    ['a JSON body that is not a message', 'Content-Length: 4\r\n\r\nnull'],
    ['a header longer than any real one', `X-Pad: ${'a'.repeat(20_000)}`],
  ])('%s, then a valid request in the same write: answered', async (_name, bad) => {
    const answer = await session.request('textDocument/hover', hover, Buffer.from(bad));
    expect(answer).toHaveProperty('result');
    expect(session.stderr).toMatch(/skipped a frame with/);
  });

  it('a bad frame in a write of its own, then a valid request: answered', async () => {
    session.write('Content-Length: -1\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await session.request('textDocument/hover', hover)).toHaveProperty('result');
  });

  it('random frames (property): the server survives each and answers the next valid request', async () => {
    // No junk frame declares a valid length: one that did would rightly swallow the next frame's bytes.
    const badLength = fc.oneof(fc.integer({ min: -1e6, max: -1 }), fc.integer({ min: MAX_FRAME_BYTES + 1 }), fc.double().filter((n) => !Number.isInteger(n)), fc.constantFrom('', 'x', '1e3', '0x10', '١٢'));
    const headerLine = fc.oneof(
      fc.string({ maxLength: 30 }).filter((s) => !/content-length|\r\n/i.test(s)),
      badLength.map((n) => `Content-Length: ${n}`),
      fc.constantFrom('content-length : x', 'Content-Type: utf-8', ':', 'Content-Length 12'),
    );
    const junk = fc.oneof(
      fc.tuple(fc.array(headerLine, { minLength: 1, maxLength: 3 }), fc.string({ maxLength: 40 })).map(([lines, body]) => `${lines.join('\r\n')}\r\n\r\n${body}`),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
      // Well-framed, but any JSON at all: a number, an array, an object that is no message.
      fc.jsonValue().map((v) => {
        const body = JSON.stringify(v) ?? 'null';
        return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      }),
    );
    const frames = fc.sample(junk, { numRuns: 80, seed: 10 });
    for (const bad of frames) {
      const answer = await session.request('textDocument/hover', hover, Buffer.from(bad, 'utf8'));
      expect(answer, JSON.stringify(bad)).toHaveProperty('result');
    }
    expect(session.exited).toBeNull();
  });
});
