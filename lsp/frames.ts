/**
 * LSP base-protocol framing (`Content-Length: N\r\n\r\n<N bytes of JSON>`) that survives hostile
 * frames (issue 10 §5). vscode-jsonrpc's stream reader stops reading for good after a negative
 * Content-Length (it waits on a negative body length forever) and buffers without limit for a huge
 * one; here a bad header block is skipped and reading resumes at the next `Content-Length:`.
 */
import { AbstractMessageReader } from 'vscode-languageserver/node';
import type { DataCallback, Disposable, Message } from 'vscode-languageserver/node';

/** Larger than any policy an editor opens (a 60,000-line policy is ~2 MB) and small enough to hold. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;
/** A header block is a line or two; one that runs longer than this is not a header. */
export const MAX_HEADER_BYTES = 8 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = 'content-length:';

export interface FrameEvents {
  message(message: Message): void;
  /** A frame was skipped; `reason` says why (never the frame's content: it may hold a policy). */
  skipped(reason: string): void;
}

/** Splits a byte stream into JSON-RPC messages; bad frames are reported and skipped, never fatal. */
export class FrameDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  /** The body length of the frame whose header was read, or -1 while reading a header. */
  private bodyLength = -1;
  /** After a bad frame: bytes are dropped until the next `Content-Length:`, where a frame starts. */
  private seeking = false;

  constructor(private readonly events: FrameEvents) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.step());
  }

  /** Reads one header or one body if the buffer holds it; false when more bytes are needed. */
  private step(): boolean {
    if (this.bodyLength >= 0) {
      if (this.buffer.length < this.bodyLength) return false;
      const body = this.buffer.subarray(0, this.bodyLength);
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = -1;
      this.deliver(body);
      return true;
    }
    if (this.seeking) return this.seek(0);
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0) {
      if (this.buffer.length <= MAX_HEADER_BYTES) return false;
      return this.resync(`a header longer than ${MAX_HEADER_BYTES} bytes`);
    }
    if (end > MAX_HEADER_BYTES) return this.resync(`a header longer than ${MAX_HEADER_BYTES} bytes`);
    const read = contentLength(this.buffer.toString('latin1', 0, end));
    if (typeof read === 'string') return this.resync(read);
    this.buffer = this.buffer.subarray(end + HEADER_END.length);
    this.bodyLength = read;
    return true;
  }

  /** Drops the bad header and goes on from the next `Content-Length:` (the start of the next frame). */
  private resync(reason: string): boolean {
    this.events.skipped(reason);
    this.seeking = true;
    return this.seek(1);
  }

  private seek(from: number): boolean {
    const next = this.buffer.toString('latin1').toLowerCase().indexOf(CONTENT_LENGTH, from);
    if (next >= 0) {
      this.buffer = this.buffer.subarray(next);
      this.seeking = false;
      return true;
    }
    // Keep a tail that may be the start of a `Content-Length:` split across chunks.
    this.buffer = this.buffer.subarray(Math.max(from, this.buffer.length - CONTENT_LENGTH.length + 1));
    return false;
  }

  private deliver(body: Buffer): void {
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      return this.events.skipped('a body that is not JSON');
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return this.events.skipped('a body that is not a JSON object');
    this.events.message(message as Message);
  }
}

/** The body length a header block declares, or why the block is refused. */
function contentLength(header: string): number | string {
  let length: number | string = 'a header without `Content-Length`';
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) return 'a header line without `:`';
    if (line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) return 'a Content-Length that is not a byte count';
    length = Number(value);
    if (length > MAX_FRAME_BYTES) return `a Content-Length over ${MAX_FRAME_BYTES} bytes`;
  }
  return length;
}

/** A MessageReader over a byte stream (stdin) that uses FrameDecoder. */
export class TolerantMessageReader extends AbstractMessageReader {
  /** The client asked for `shutdown` (so closing the input afterwards is a clean end). */
  shutdownRequested = false;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly log: (line: string) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    const message = (m: Message) => {
      if ((m as { method?: unknown }).method === 'shutdown') this.shutdownRequested = true;
      callback(m);
    };
    const decoder = new FrameDecoder({ message, skipped: (reason) => this.log(`skipped a frame with ${reason}`) });
    const onData = (chunk: Buffer) => decoder.push(chunk);
    const onClose = () => this.fireClose();
    this.input.on('data', onData);
    this.input.on('end', onClose);
    this.input.on('error', (error) => this.fireError(error));
    return {
      dispose: () => {
        this.input.off('data', onData);
        this.input.off('end', onClose);
      },
    };
  }
}
