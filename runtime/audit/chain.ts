/**
 * The audit log's hash chain, shared by every store so SQLite and MySQL chains verify alike.
 * hash = sha-256 hex of `prevHash \n canonical-json({at, kind, actor, data})`.
 * Editing, deleting or reordering any entry breaks the chain at that entry.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditInput } from '../store/types.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function auditHash(prevHash: string, entry: AuditInput): string {
  const body = canonicalJson({ at: entry.at, kind: entry.kind, actor: entry.actor, data: entry.data });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Chains `inputs` after `prevHash`/`lastSeq` (the caller reads those inside its transaction). */
export function chainEntries(prevHash: string, lastSeq: number, inputs: AuditInput[]): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = prevHash;
  let seq = lastSeq;
  for (const input of inputs) {
    const hash = auditHash(prev, input);
    out.push({ ...input, seq: ++seq, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

export interface ChainProblem {
  seq: number;
  message: string;
}

export interface ChainVerifier {
  /** Feed entries in seq order, page by page. */
  add(entries: AuditEntry[]): void;
  readonly count: number;
  readonly problems: ChainProblem[];
}

/** Checks that each entry's hash matches its content and that it links to the previous one. */
export function chainVerifier(): ChainVerifier {
  let prev = GENESIS_HASH;
  let count = 0;
  const problems: ChainProblem[] = [];
  return {
    add(entries) {
      for (const e of entries) {
        count++;
        if (e.prevHash !== prev) {
          problems.push({ seq: e.seq, message: `entry ${e.seq} does not link to the entry before it (deleted or reordered entry)` });
        }
        const expected = auditHash(e.prevHash, e);
        if (expected !== e.hash) {
          problems.push({ seq: e.seq, message: `entry ${e.seq} was modified after it was written (hash mismatch)` });
        }
        prev = e.hash;
      }
    },
    get count() {
      return count;
    },
    problems,
  };
}
