/**
 * Worker thread entry (see compile-in-worker.ts): one job per thread, so that a policy which is
 * slow or memory-hungry to compile, or two large versions to compare, cannot stall or kill the
 * server: compiles a policy that arrived over HTTP, or diffs two stored versions (the console).
 */
import { parentPort } from 'node:worker_threads';
import { compilePolicy } from '../../compiler/compile.js';
import { diffSources } from '../diff/sources.js';
import type { WorkerJob } from './compile-in-worker.js';

parentPort!.once('message', (m: WorkerJob) => {
  if (m.job === 'diff') {
    parentPort!.postMessage(diffSources(m.old, m.new, m.tz, m.nowMs));
    return;
  }
  parentPort!.postMessage(compilePolicy(Buffer.from(m.source.buffer, m.source.byteOffset, m.source.byteLength), m.file, { zone: m.zone }));
});
