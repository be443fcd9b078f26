/**
 * Worker thread entry (see compile-in-worker.ts): compiles one policy that arrived over HTTP, so
 * that a policy which is slow or memory-hungry to compile cannot stall or kill the server.
 */
import { parentPort } from 'node:worker_threads';
import { compilePolicy } from '../../compiler/compile.js';
import type { ZoneInfo } from '../../compiler/zone-info.js';

parentPort!.once('message', (m: { source: Uint8Array; file: string; zone: ZoneInfo }) => {
  parentPort!.postMessage(compilePolicy(Buffer.from(m.source.buffer, m.source.byteOffset, m.source.byteLength), m.file, { zone: m.zone }));
});
