/**
 * Streaming AES-256-GCM (node:crypto) in fixed-size chunks, so a file of any size is encrypted and
 * decrypted in memory bounded by two chunks. Chunk i uses nonce = 4 zero bytes || i (u64 BE)
 * under a key used for this one file only, and associated data = label || sha-256(file prefix) ||
 * i || final flag: chunks cannot be reordered, dropped, cut off at the end or moved to another
 * file, and nothing of the header can change (the STREAM construction of Hoang, Reyhanitabar,
 * Rogaway and Vizár).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { readSync, writeSync } from 'node:fs';

export const CHUNK_SIZE = 64 * 1024;
const TAG = 16;
const LABEL = Buffer.from('kss-file-chunk-v1');

function nonce(index: number): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 4);
  return n;
}

function aad(prefixSha256: Buffer, index: number, final: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index));
  tail[8] = final ? 1 : 0;
  return Buffer.concat([LABEL, prefixSha256, tail]);
}

/** Reads exactly `buf.length` bytes unless the input ends first; returns how many. */
function readFull(fd: number, buf: Buffer, position: number | null): number {
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, position === null ? null : position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** Encrypts everything `inFd` yields (read ahead one chunk to know which is the last). */
export function encryptChunks(key: Buffer, prefixSha256: Buffer, inFd: number, outFd: number, chunkSize = CHUNK_SIZE): void {
  let current = Buffer.alloc(chunkSize);
  let next = Buffer.alloc(chunkSize);
  let currentLength = readFull(inFd, current, null);
  for (let i = 0; ; i++) {
    const nextLength = currentLength < chunkSize ? 0 : readFull(inFd, next, null);
    const final = nextLength === 0;
    const c = createCipheriv('aes-256-gcm', key, nonce(i));
    c.setAAD(aad(prefixSha256, i, final));
    writeSync(outFd, Buffer.concat([c.update(current.subarray(0, currentLength)), c.final(), c.getAuthTag()]));
    if (final) return;
    [current, next] = [next, current];
    currentLength = nextLength;
  }
}

export class ChunkError extends Error {}

/** Decrypts the chunks from `position` to `end` of `inFd`; throws ChunkError at the first bad one. */
export function decryptChunks(key: Buffer, prefixSha256: Buffer, inFd: number, position: number, end: number, outFd: number, chunkSize: number): void {
  if (position >= end) throw new ChunkError('the file has no data chunk (it was cut off)');
  const buf = Buffer.alloc(chunkSize + TAG);
  for (let i = 0; position < end; i++) {
    const length = Math.min(chunkSize + TAG, end - position);
    if (length < TAG || readFull(inFd, buf.subarray(0, length), position) !== length) throw new ChunkError(`chunk ${i} is truncated`);
    position += length;
    const d = createDecipheriv('aes-256-gcm', key, nonce(i));
    d.setAAD(aad(prefixSha256, i, position >= end));
    d.setAuthTag(buf.subarray(length - TAG, length));
    try {
      writeSync(outFd, Buffer.concat([d.update(buf.subarray(0, length - TAG)), d.final()]));
    } catch {
      throw new ChunkError(`chunk ${i} does not authenticate (the file or its header was changed, cut off or reordered)`);
    }
  }
}
