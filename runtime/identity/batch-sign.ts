/**
 * Signing many answers with one Ed25519 signature, as Roughtime signs its responses. An Ed25519
 * signature costs 20-30 µs here, most of a decision's CPU; the answers that are ready in the same
 * turn of the event loop become the leaves of a Merkle tree whose root is signed once, and each
 * answer carries that signature with its leaf's path to the root. Every answer is still signed
 * before it leaves: checking it takes the message (sign.ts), the path and the public key only.
 *
 *   leaf   = sha-256(0x00 || message)           node = sha-256(0x01 || left || right)
 *   signed = "kss-decision-batch-v1\n" || size || "\n" || root (hex)
 *
 * The 0x00/0x01 prefixes keep a leaf from passing for an inner node (RFC 6962 does the same). On a
 * level with an odd number of nodes the last one moves up unchanged, so it adds no path entry;
 * `size` (signed) fixes where that happens, so a path cannot be read for another tree shape.
 */
import { hash, sign, verify, type KeyObject } from 'node:crypto';

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);
const CONTEXT = 'kss-decision-batch-v1';
/** Leaves per tree: the path stays at most 10 hashes (a batch waits for no more than one turn anyway). */
export const MAX_SIGN_BATCH = 1024;

/** Where an answer's message sits in the signed tree. */
export interface BatchPath {
  /** 0-based position of the leaf. */
  index: number;
  /** Leaves in the tree. */
  size: number;
  /** Sibling hashes from the leaf up (hex). */
  path: string[];
}

export interface BatchSignature {
  /** Ed25519 signature of the root message (base64). */
  signature: string;
  batch: BatchPath;
}

/**
 * A message is bytes, or a string standing for its UTF-8 bytes: the server hashes its message
 * text as it is (issue 15: no Buffer for the text, none for the prefixed copy); '\u0000' is the
 * one byte 0x00 in UTF-8, so both hash the same bytes.
 */
export type Message = Buffer | string;

function leafHash(message: Message): Buffer {
  return typeof message === 'string' ? hash('sha256', `\u0000${message}`, 'buffer') : hash('sha256', Buffer.concat([LEAF, message]), 'buffer');
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return hash('sha256', Buffer.concat([NODE, left, right]), 'buffer');
}

function rootMessage(size: number, root: Buffer): Buffer {
  return Buffer.from(`${CONTEXT}\n${size}\n${root.toString('hex')}`);
}

/** The levels of the tree over `leaves`, from the leaves up to the one root. */
function levels(leaves: Buffer[]): Buffer[][] {
  const out = [leaves];
  for (let level = leaves; level.length > 1;) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? nodeHash(level[i]!, level[i + 1]!) : level[i]!);
    out.push((level = up));
  }
  return out;
}

/**
 * Each answer's path: sibling hashes from its leaf up, in hex. A node is a sibling in the paths of
 * all the leaves under its neighbour, so each node's hex is spelled once, not once per path.
 */
function paths(tree: Buffer[][]): string[][] {
  const hex = tree.map((level) => new Array<string | undefined>(level.length));
  const out: string[][] = [];
  for (let index = 0; index < tree[0]!.length; index++) {
    const path: string[] = [];
    for (let d = 0, i = index; d < tree.length - 1; d++, i >>= 1) {
      const sibling = i ^ 1;
      if (sibling < tree[d]!.length) path.push((hex[d]![sibling] ??= tree[d]![sibling]!.toString('hex')));
    }
    out.push(path);
  }
  return out;
}

/** Signs `messages` as one tree: one signature, one path each. */
export function signBatch(key: KeyObject, messages: Message[]): BatchSignature[] {
  const tree = levels(messages.map(leafHash));
  const root = tree[tree.length - 1]![0]!;
  const signature = sign(null, rootMessage(messages.length, root), key).toString('base64');
  return paths(tree).map((path, index) => ({ signature, batch: { index, size: messages.length, path } }));
}

/** Whether `signature` with `batch` signs `message` under `publicKey`; false for anything malformed. */
export function verifyBatch(publicKey: KeyObject, message: Message, signature: string, batch: BatchPath): boolean {
  const { index, size, path } = batch;
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIGN_BATCH || !Number.isInteger(index) || index < 0 || index >= size || !Array.isArray(path)) return false;
  let node = leafHash(message);
  let used = 0;
  for (let i = index, width = size; width > 1; i >>= 1, width = (width + 1) >> 1) {
    if ((i ^ 1) >= width) continue; // the last node of an odd level moves up unchanged
    const sibling = path[used++];
    if (typeof sibling !== 'string' || !/^[0-9a-f]{64}$/.test(sibling)) return false;
    const s = Buffer.from(sibling, 'hex');
    node = i & 1 ? nodeHash(s, node) : nodeHash(node, s);
  }
  if (used !== path.length) return false;
  return verify(null, rootMessage(size, node), publicKey, Buffer.from(signature, 'base64'));
}

/**
 * Collects the messages signed in one turn of the event loop and signs them together at the next
 * (setImmediate: after every promise continuation of this turn, such as all the decisions one
 * audit commit released, has queued its message).
 */
export class BatchSigner {
  private pending: Array<{ message: Message; resolve: (s: BatchSignature) => void; reject: (e: unknown) => void }> = [];

  constructor(
    private readonly key: KeyObject,
    private readonly maxBatch = MAX_SIGN_BATCH,
  ) {}

  sign(message: Message): Promise<BatchSignature> {
    return new Promise((resolve, reject) => {
      if (this.pending.push({ message, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const signed = signBatch(this.key, batch.map((p) => p.message));
        batch.forEach((p, i) => p.resolve(signed[i]!));
      } catch (error) {
        batch.forEach((p) => p.reject(error));
      }
    }
  }
}
